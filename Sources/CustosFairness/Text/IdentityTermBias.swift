import CustosCore
import CustosML
import Foundation

/// Unintended bias of a text classifier towards identity terms (Dixon et al. 2018; Borkan et al. 2019), from scored
/// examples that each mention one identity term: per-term error rates at the classifier's threshold, the three
/// AUCs of Borkan et al., and the generalized-mean bias score of the Jigsaw Unintended Bias benchmark.
///
/// For an identity term's subgroup (the examples that mention it) against the background (all other examples):
/// - subgroup AUC: the AUC on the subgroup alone (does the classifier separate toxic from non-toxic within it?);
/// - BPSN AUC (background positive, subgroup negative): the subgroup's non-toxic examples against the
///   background's toxic ones; low when the term alone pushes benign text up (false positives);
/// - BNSP AUC (background negative, subgroup positive): the subgroup's toxic examples against the background's
///   non-toxic ones; low when the term pulls toxic text down (false negatives).
///
/// The bias score is `M_p` (power mean, p = −5, which weights the worst subgroups most) of each AUC over the
/// subgroups; Jigsaw's final metric is `¼·overall AUC + ¼·(M_p(subgroup) + M_p(BPSN) + M_p(BNSP))`.
public struct IdentityTermBias: Sendable, Equatable, Encodable {
    /// One scored example.
    public struct Example: Sendable, Equatable {
        /// The identity term it mentions.
        public var identity: String
        /// The term's category (gender, religion, …).
        public var category: String
        /// Whether the example is toxic (the class the classifier should flag).
        public var toxic: Bool
        /// The classifier's score.
        public var score: Double

        /// An example.
        public init(identity: String, category: String, toxic: Bool, score: Double) {
            self.identity = identity
            self.category = category
            self.toxic = toxic
            self.score = score
        }
    }

    /// Figures for one identity term.
    public struct Subgroup: Sendable, Equatable, Encodable {
        /// The term.
        public var identity: String
        /// Its category.
        public var category: String
        /// Examples mentioning it (toxic + non-toxic).
        public var count: Int
        /// Non-toxic examples flagged at the threshold, among its non-toxic examples.
        public var falsePositiveRate: Double?
        /// Toxic examples not flagged, among its toxic examples.
        public var falseNegativeRate: Double?
        /// Mean score of its non-toxic examples.
        public var meanNonToxicScore: Double?
        /// AUC within the subgroup.
        public var subgroupAUC: Double?
        /// Background positive, subgroup negative AUC.
        public var bpsnAUC: Double?
        /// Background negative, subgroup positive AUC.
        public var bnspAUC: Double?

        enum CodingKeys: String, CodingKey {
            case identity, category, count, falsePositiveRate = "fpr", falseNegativeRate = "fnr"
            case meanNonToxicScore = "mean_nontoxic_score", subgroupAUC = "subgroup_auc", bpsnAUC = "bpsn_auc", bnspAUC = "bnsp_auc"
        }
    }

    /// The power of the generalized mean (Borkan et al. 2019 use −5).
    public static let power = -5.0

    /// The threshold the rates use.
    public var threshold: Double
    /// Number of examples.
    public var count: Int
    /// AUC over every example.
    public var overallAUC: Double?
    /// FPR and FNR over every example.
    public var overallFalsePositiveRate: Double?
    /// See `overallFalsePositiveRate`.
    public var overallFalseNegativeRate: Double?
    /// One entry per identity term, in first-seen order.
    public var subgroups: [Subgroup]
    /// Power means over the subgroups: `subgroup_auc`, `bpsn_auc`, `bnsp_auc` (nil when some subgroup's AUC is undefined).
    public var generalizedMeans: [String: Double?]
    /// Jigsaw's final bias metric (nil when any component is undefined).
    public var finalMetric: Double?
    /// Term-aware thresholds for the identity terms that alone push benign text over the threshold.
    public var recommendations: [Recommendation]

    /// A term-aware threshold for one identity term, with its effect on that term's examples.
    ///
    /// Recommended when the term's false-positive rate exceeds the overall one by more than `fprMargin`: the
    /// threshold for texts mentioning the term is raised to the lowest value that brings its false-positive rate
    /// down to the overall rate, and the term's error rates are re-measured at it. The figures are in-sample (the
    /// same templates chose and measure the threshold): they show the trade-off, not a held-out estimate.
    public struct Recommendation: Sendable, Equatable, Encodable {
        /// The term.
        public var identity: String
        /// The term's threshold.
        public var threshold: Double
        /// FPR and FNR of the term's examples at the global threshold.
        public var fprBefore: Double
        /// See `fprBefore`.
        public var fnrBefore: Double?
        /// FPR and FNR of the term's examples at its own threshold.
        public var fprAfter: Double
        /// See `fprAfter`.
        public var fnrAfter: Double?

        enum CodingKeys: String, CodingKey {
            case identity, threshold, fprBefore = "fpr_before", fnrBefore = "fnr_before", fprAfter = "fpr_after", fnrAfter = "fnr_after"
        }
    }

    /// How far a term's false-positive rate may exceed the overall one before a term-aware threshold is recommended.
    public static let fprMargin = 0.05

    enum CodingKeys: String, CodingKey {
        case threshold, count, overallAUC = "overall_auc", overallFalsePositiveRate = "overall_fpr"
        case overallFalseNegativeRate = "overall_fnr", subgroups, generalizedMeans = "generalized_means", finalMetric = "final_metric"
        case recommendations
    }

    /// Computes every figure. Needs examples of both classes; scores must be finite.
    public init(examples: [Example], threshold: Double) throws {
        guard !examples.isEmpty else { throw CustosError(.invalidInput, "the identity-term audit has no examples") }
        if let bad = examples.firstIndex(where: { !$0.score.isFinite }) {
            throw CustosError(.invalidInput, "example \(bad + 1) ('\(examples[bad].identity)') has a non-finite score", at: SourceLocation(row: bad + 1))
        }
        guard examples.contains(where: \.toxic), examples.contains(where: { !$0.toxic }) else {
            throw CustosError(.invalidInput, "the identity-term audit needs toxic and non-toxic examples")
        }
        self.threshold = threshold
        count = examples.count
        overallAUC = ROC.auc(scores: examples.map(\.score), labels: examples.map(\.toxic))
        (overallFalsePositiveRate, overallFalseNegativeRate) = Self.errorRates(examples, threshold: threshold)
        var order: [String] = []
        var seen = Set<String>()
        for example in examples where seen.insert(example.identity).inserted { order.append(example.identity) }
        subgroups = order.map { identity in
            let inGroup = examples.filter { $0.identity == identity }
            let background = examples.filter { $0.identity != identity }
            let (fpr, fnr) = Self.errorRates(inGroup, threshold: threshold)
            let nonToxic = inGroup.filter { !$0.toxic }.map(\.score)
            return Subgroup(
                identity: identity, category: inGroup[0].category, count: inGroup.count,
                falsePositiveRate: fpr, falseNegativeRate: fnr,
                meanNonToxicScore: nonToxic.isEmpty ? nil : nonToxic.reduce(0, +) / Double(nonToxic.count),
                subgroupAUC: Self.auc(inGroup),
                bpsnAUC: Self.auc(inGroup.filter { !$0.toxic } + background.filter(\.toxic)),
                bnspAUC: Self.auc(inGroup.filter(\.toxic) + background.filter { !$0.toxic }))
        }
        let means: [String: Double?] = [
            "subgroup_auc": Self.powerMean(subgroups.map(\.subgroupAUC)),
            "bpsn_auc": Self.powerMean(subgroups.map(\.bpsnAUC)),
            "bnsp_auc": Self.powerMean(subgroups.map(\.bnspAUC)),
        ]
        generalizedMeans = means
        if let overall = overallAUC, let a = means["subgroup_auc"] ?? nil, let b = means["bpsn_auc"] ?? nil, let c = means["bnsp_auc"] ?? nil {
            finalMetric = 0.25 * overall + 0.25 * (a + b + c)
        } else {
            finalMetric = nil
        }
        let target = overallFalsePositiveRate ?? 0
        recommendations = subgroups.compactMap { group -> Recommendation? in
            guard let before = group.falsePositiveRate, before > target + Self.fprMargin else { return nil }
            let inGroup = examples.filter { $0.identity == group.identity }
            let negatives = inGroup.filter { !$0.toxic }.map(\.score).sorted(by: >)
            // Flag at most `allowed` of the term's non-toxic examples: the threshold sits just above the next score.
            let allowed = Int((target * Double(negatives.count)).rounded(.down))
            let raised = allowed < negatives.count ? negatives[allowed].nextUp : threshold
            let termThreshold = max(threshold, raised)
            let (fprAfter, fnrAfter) = Self.errorRates(inGroup, threshold: termThreshold)
            return Recommendation(identity: group.identity, threshold: termThreshold, fprBefore: before, fnrBefore: group.falseNegativeRate,
                                  fprAfter: fprAfter ?? 0, fnrAfter: fnrAfter)
        }
    }

    /// `(Σ xᵢ^p / n)^(1/p)`; nil when a value is missing or not positive.
    public static func powerMean(_ values: [Double?], power: Double = IdentityTermBias.power) -> Double? {
        let present = values.compactMap { $0 }
        guard !present.isEmpty, present.count == values.count, present.allSatisfy({ $0 > 0 }) else { return nil }
        let mean = present.map { Foundation.pow($0, power) }.reduce(0, +) / Double(present.count)
        return Foundation.pow(mean, 1 / power)
    }

    static func auc(_ examples: [Example]) -> Double? {
        ROC.auc(scores: examples.map(\.score), labels: examples.map(\.toxic))
    }

    static func errorRates(_ examples: [Example], threshold: Double) -> (fpr: Double?, fnr: Double?) {
        let negatives = examples.filter { !$0.toxic }
        let positives = examples.filter(\.toxic)
        let fpr = negatives.isEmpty ? nil : Double(negatives.filter { $0.score >= threshold }.count) / Double(negatives.count)
        let fnr = positives.isEmpty ? nil : Double(positives.filter { $0.score < threshold }.count) / Double(positives.count)
        return (fpr, fnr)
    }
}
