import CustosCore

/// `custos guard eval`: a scanner's figures on a labelled set, clean and under each perturbation.
public struct ScannerEvaluation: Sendable, Codable, Equatable {
    /// Scanner name.
    public var scanner: String
    /// Figures on the texts as given.
    public var clean: BinaryMetrics
    /// Figures per perturbation (all texts perturbed), with the drop in detection of positives.
    public var perturbations: [String: PerturbedMetrics]

    /// Figures under one perturbation.
    public struct PerturbedMetrics: Sendable, Codable, Equatable {
        /// The figures on the perturbed set.
        public var metrics: BinaryMetrics
        /// Clean recall minus perturbed recall, in percentage points.
        public var detectionDropPP: Double

        enum CodingKeys: String, CodingKey {
            case metrics
            case detectionDropPP = "detection_drop_pp"
        }
    }

    /// Scores every text with `scanner` (on all cores) and computes the figures at `threshold`.
    public static func run(
        _ scanner: any Scanner, on set: [LabeledText], threshold: Double? = nil, perturb: Bool = false,
        normalizer: TextNormalizer = TextNormalizer()
    ) throws -> ScannerEvaluation {
        let cut = threshold ?? scanner.defaultThreshold
        let labels = set.map { $0.label == 1 }
        let clean = BinaryMetrics(scores: try scores(scanner, set.map(\.text), normalizer: normalizer), labels: labels, threshold: cut)
        var perturbed: [String: PerturbedMetrics] = [:]
        if perturb {
            for p in Perturbation.allCases {
                let metrics = BinaryMetrics(scores: try scores(scanner, set.map { p.apply($0.text) }, normalizer: normalizer),
                                            labels: labels, threshold: cut)
                perturbed[p.rawValue] = PerturbedMetrics(metrics: metrics, detectionDropPP: (clean.recall - metrics.recall) * 100)
            }
        }
        return ScannerEvaluation(scanner: scanner.name, clean: clean, perturbations: perturbed)
    }

    /// Scores of `texts`, in order; a scanner error is an error naming the row.
    public static func scores(_ scanner: any Scanner, _ texts: [String], normalizer: TextNormalizer = TextNormalizer()) throws -> [Double] {
        try results(scanner, texts, normalizer: normalizer).map(\.score)
    }

    /// Full results of `texts`, in order (the scanner's batch scan: all cores, batched model calls).
    public static func results(_ scanner: any Scanner, _ texts: [String], normalizer: TextNormalizer = TextNormalizer()) throws -> [ScanResult] {
        let inputs = Parallel.map(texts.count) { k in ScanInput(texts[k], side: .input, normalizer: normalizer) }
        return try scanner.scan(batch: inputs)
    }
}
