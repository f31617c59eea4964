import CustosCore
import CustosML
import Foundation

/// `custos guard train jailbreak`: fits the jailbreak head with group-aware cross-validation.
public enum JailbreakTraining {
    /// Folds of the cross-validation.
    public static let folds = 5
    /// L2 penalty of the logistic regression (chosen once on the dev set's cross-validation; stronger
    /// penalties lose recall on short injections, weaker ones overfit the 185 positives).
    public static let l2 = 0.1
    /// Largest false-positive rate on plain harmful requests the threshold may allow (the bar).
    public static let maxHarmfulFPR = 0.05
    /// Length buckets for the length-matched AUCs.
    public static let mediumLengths = 200...1500
    public static let shortLength = 200

    /// One training example.
    public struct Example: Sendable, Codable {
        /// The prompt.
        public var text: String
        /// 1 for jailbreak or prompt injection.
        public var label: Int
        /// Near-duplicates share a group and stay in one fold.
        public var group: String?
        /// Kind of prompt (`plain_harmful_request` is checked for false positives).
        public var family: String?
    }

    /// Cross-validated figures (out-of-fold predictions).
    public struct Report: Sendable, Codable, Equatable {
        /// Texts used.
        public var n: Int
        /// Positives among them.
        public var positives: Int
        /// F1 at the chosen threshold.
        public var f1: Double
        /// Precision at the threshold.
        public var precision: Double
        /// Recall at the threshold.
        public var recall: Double
        /// ROC AUC overall.
        public var auc: Double
        /// ROC AUC on prompts of 200–1500 characters.
        public var aucMedium: Double?
        /// ROC AUC on prompts under 200 characters.
        public var aucShort: Double?
        /// Texts in each bucket.
        public var nMedium: Int
        /// Texts under 200 characters.
        public var nShort: Int
        /// False-positive rate on plain harmful requests.
        public var harmfulFPR: Double
        /// Plain harmful requests.
        public var nHarmful: Int
        /// The chosen threshold.
        public var threshold: Double
        /// The same figures restricted to each training file's rows (out-of-fold predictions of the joint run).
        public var perFile: [FileFigures]

        /// Cross-validated figures on one training file's rows.
        public struct FileFigures: Sendable, Codable, Equatable {
            /// File name.
            public var file: String
            /// Rows (positives).
            public var n: Int
            /// Positives.
            public var positives: Int
            /// F1 at the threshold (0 without positives).
            public var f1: Double
            /// ROC AUC (nil when a class is absent).
            public var auc: Double?
            /// Share of negatives flagged.
            public var fpr: Double
        }

        enum CodingKeys: String, CodingKey {
            case n, positives, f1, precision, recall, auc
            case aucMedium = "auc_200_1500"
            case aucShort = "auc_under_200"
            case nMedium = "n_200_1500"
            case nShort = "n_under_200"
            case harmfulFPR = "harmful_fpr"
            case nHarmful = "n_harmful"
            case threshold
            case perFile = "per_file"
        }
    }

    /// Reads training examples from JSONL (`text`, `label`, optional `group` and `family`).
    public static func read(_ path: String) throws -> (examples: [Example], file: JailbreakHead.TrainingFile) {
        let bytes = try FileInput.readBytes(path)
        let examples = try JSONLReader.decode(Example.self, from: bytes, source: path)
        if let bad = examples.firstIndex(where: { $0.label != 0 && $0.label != 1 }) {
            throw CustosError(.invalidInput, "label must be 0 or 1", at: SourceLocation(file: path, row: bad + 1))
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return (examples, JailbreakHead.TrainingFile(file: name, sha256: Checksum.sha256(bytes), rows: examples.count))
    }

    /// Embeds the examples, cross-validates, picks the threshold and fits the final head on everything.
    public static func train(
        _ examples: [Example], files: [JailbreakHead.TrainingFile], embedder: Embedder, seed: UInt64 = 9,
        progress: (String) -> Void = { _ in }
    ) throws -> (head: JailbreakHead, report: Report) {
        guard examples.contains(where: { $0.label == 1 }), examples.contains(where: { $0.label == 0 }) else {
            throw CustosError(.invalidInput, "training needs both labels")
        }
        let normalizer = TextNormalizer()
        let normalized = examples.map { normalizer.normalize($0.text).text }
        progress("embedding \(examples.count) prompts")
        let embeddings = try embedder.embed(normalized, options: .init(allowEmpty: true))
        let rows = zip(embeddings, normalized).map { JailbreakHead.row(embedding: $0.vector, normalizedText: $1) }
        let labels = examples.map { $0.label == 1 }
        let fold = foldAssignment(examples, seed: seed)
        var outOfFold = [Double](repeating: 0, count: rows.count)
        for k in 0..<folds {
            progress("fold \(k + 1) of \(folds)")
            let train = rows.indices.filter { fold[$0] != k }
            let model = try fit(train.map { rows[$0] }, train.map { labels[$0] })
            for i in rows.indices where fold[i] == k { outOfFold[i] = model.probability(rows[i]) }
        }
        let harmful = examples.indices.filter { examples[$0].family == "plain_harmful_request" }
        let threshold = chooseThreshold(outOfFold, labels, harmful: harmful)
        let metrics = BinaryMetrics(scores: outOfFold, labels: labels, threshold: threshold)
        func auc(_ subset: [Int]) -> Double? { ROC.auc(scores: subset.map { outOfFold[$0] }, labels: subset.map { labels[$0] }) }
        // Lengths in Unicode scalars, as Python's len() (the dev set's `chars`).
        let lengths = examples.map { $0.text.unicodeScalars.count }
        let medium = rows.indices.filter { mediumLengths.contains(lengths[$0]) }
        let short = rows.indices.filter { lengths[$0] < shortLength }
        let report = Report(
            n: rows.count, positives: labels.filter { $0 }.count, f1: metrics.f1, precision: metrics.precision, recall: metrics.recall,
            auc: metrics.auc ?? 0, aucMedium: auc(medium), aucShort: auc(short), nMedium: medium.count, nShort: short.count,
            harmfulFPR: fpr(harmful.map { outOfFold[$0] }, threshold), nHarmful: harmful.count, threshold: threshold,
            perFile: perFile(files, outOfFold, labels, threshold))
        progress("fitting the final head")
        let model = try fit(rows, labels)
        var cv: [String: Double] = ["f1": report.f1, "precision": report.precision, "recall": report.recall, "auc": report.auc,
                                    "harmful_fpr": report.harmfulFPR]
        cv["auc_200_1500"] = report.aucMedium
        cv["auc_under_200"] = report.aucShort
        let head = JailbreakHead(format: JailbreakHead.currentFormat, features: JailbreakFeatures.names, model: model,
                                 threshold: threshold, trainingData: files, crossValidation: cv)
        return (head, report)
    }

    /// Figures per training file; `files` are in the order their rows were concatenated.
    /// The head's logistic regression: penalty `l2`·‖w‖²/2 on the summed log-loss, which is CustosML's
    /// `LogisticRegression` (scikit-learn's objective) with C = 1 / l2, fitted by Newton's method to the optimum.
    static func fit(_ rows: [[Double]], _ labels: [Bool]) throws -> LinearClassifier {
        let columns = rows.first?.count ?? 0
        let x = try DenseMatrix(rows: rows.count, columns: columns, values: rows.flatMap { $0 })
        return try LogisticRegression(c: 1 / l2).fit(x, labels: labels)
    }

    static func perFile(_ files: [JailbreakHead.TrainingFile], _ scores: [Double], _ labels: [Bool], _ threshold: Double) -> [Report.FileFigures] {
        var start = 0
        return files.map { file in
            let range = start..<min(start + file.rows, scores.count)
            start = range.upperBound
            let s = Array(scores[range]), l = Array(labels[range])
            let metrics = BinaryMetrics(scores: s, labels: l, threshold: threshold)
            return Report.FileFigures(file: file.file, n: range.count, positives: l.filter { $0 }.count, f1: metrics.f1, auc: metrics.auc,
                                      fpr: fpr(zip(s, l).filter { !$0.1 }.map(\.0), threshold))
        }
    }

    /// Fold of each example: groups (or single examples without one) are shuffled with `seed` and dealt out.
    static func foldAssignment(_ examples: [Example], seed: UInt64) -> [Int] {
        let keys = examples.enumerated().map { $1.group ?? "row-\($0)" }
        var groups = Array(Set(keys)).sorted()
        var generator = SeededGenerator(seed: seed)
        groups.shuffle(using: &generator)
        var foldOf: [String: Int] = [:]
        for (k, group) in groups.enumerated() { foldOf[group] = k % folds }
        return keys.map { foldOf[$0] ?? 0 }
    }

    /// The threshold with the best F1 among those keeping plain harmful requests' FPR within `maxHarmfulFPR`.
    static func chooseThreshold(_ scores: [Double], _ labels: [Bool], harmful: [Int]) -> Double {
        var best = (f1: -1.0, threshold: 0.5)
        for step in 1..<100 {
            let t = Double(step) / 100
            guard fpr(harmful.map { scores[$0] }, t) <= maxHarmfulFPR else { continue }
            let f1 = BinaryMetrics(scores: scores, labels: labels, threshold: t).f1
            if f1 > best.f1 { best = (f1, t) }
        }
        return best.threshold
    }

    static func fpr(_ negatives: [Double], _ threshold: Double) -> Double {
        negatives.isEmpty ? 0 : Double(negatives.filter { $0 >= threshold }.count) / Double(negatives.count)
    }
}
