/// A per-group classification metric. Raw values are the JSON names.
public enum GroupMetric: String, Sendable, Codable, CaseIterable, Hashable {
    /// Fraction of correct predictions.
    case accuracy
    /// Fraction predicted positive, P(ŷ = 1).
    case selectionRate = "selection_rate"
    /// Fraction truly positive, P(y = 1).
    case baseRate = "base_rate"
    /// True positive rate (recall), TP / (TP + FN).
    case tpr
    /// False positive rate, FP / (FP + TN).
    case fpr
    /// False negative rate, FN / (TP + FN).
    case fnr
    /// True negative rate (specificity), TN / (FP + TN).
    case tnr
    /// Positive predictive value (precision), TP / (TP + FP).
    case ppv
    /// Negative predictive value, TN / (TN + FN).
    case npv
    /// False discovery rate, FP / (TP + FP).
    case fdr
    /// False omission rate, FN / (TN + FN).
    case falseOmissionRate = "for"
    /// Area under the ROC curve of the score (only with a score column).
    case auc

    /// The metrics computed from predictions alone (everything but AUC).
    public static let fromPredictions: [GroupMetric] = allCases.filter { $0 != .auc }

    /// A short human label.
    public var title: String {
        switch self {
        case .accuracy: return "Accuracy"
        case .selectionRate: return "Selection rate"
        case .baseRate: return "Base rate"
        case .tpr: return "True positive rate"
        case .fpr: return "False positive rate"
        case .fnr: return "False negative rate"
        case .tnr: return "True negative rate"
        case .ppv: return "Positive predictive value"
        case .npv: return "Negative predictive value"
        case .fdr: return "False discovery rate"
        case .falseOmissionRate: return "False omission rate"
        case .auc: return "ROC AUC"
        }
    }

    /// Position in `allCases`, used for dense storage.
    var index: Int {
        switch self {
        case .accuracy: return 0
        case .selectionRate: return 1
        case .baseRate: return 2
        case .tpr: return 3
        case .fpr: return 4
        case .fnr: return 5
        case .tnr: return 6
        case .ppv: return 7
        case .npv: return 8
        case .fdr: return 9
        case .falseOmissionRate: return 10
        case .auc: return 11
        }
    }
}

/// Weighted confusion-matrix counts of one group (weights are 1 unless resampled).
public struct ConfusionCounts: Sendable, Equatable, Codable {
    /// True positives.
    public var tp: Double = 0
    /// False positives.
    public var fp: Double = 0
    /// True negatives.
    public var tn: Double = 0
    /// False negatives.
    public var fn: Double = 0

    /// Zero counts.
    public init() {}

    /// Counts with the given values.
    public init(tp: Double, fp: Double, tn: Double, fn: Double) {
        self.tp = tp
        self.fp = fp
        self.tn = tn
        self.fn = fn
    }

    /// Total weight.
    public var total: Double { tp + fp + tn + fn }

    /// Adds one observation.
    @inline(__always)
    public mutating func add(label: Bool, prediction: Bool, weight: Double = 1) {
        switch (label, prediction) {
        case (true, true): tp += weight
        case (false, true): fp += weight
        case (false, false): tn += weight
        case (true, false): fn += weight
        }
    }

    /// The value of `metric`; `nil` when its denominator is zero (undefined, never 0).
    public func value(_ metric: GroupMetric) -> Double? {
        func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
        switch metric {
        case .accuracy: return ratio(tp + tn, total)
        case .selectionRate: return ratio(tp + fp, total)
        case .baseRate: return ratio(tp + fn, total)
        case .tpr: return ratio(tp, tp + fn)
        case .fpr: return ratio(fp, fp + tn)
        case .fnr: return ratio(fn, tp + fn)
        case .tnr: return ratio(tn, fp + tn)
        case .ppv: return ratio(tp, tp + fp)
        case .npv: return ratio(tn, tn + fn)
        case .fdr: return ratio(fp, tp + fp)
        case .falseOmissionRate: return ratio(fn, tn + fn)
        case .auc: return nil
        }
    }
}

/// The metric values of one group; `nil` marks an undefined metric.
public struct MetricValues: Sendable, Equatable {
    private var storage: [Double?]
    /// Whether AUC belongs to the output (a score column was given).
    public var includesAUC: Bool

    /// Values from confusion counts, with an optional AUC.
    public init(counts: ConfusionCounts, auc: Double?, includesAUC: Bool) {
        storage = GroupMetric.allCases.map { counts.value($0) }
        storage[GroupMetric.auc.index] = auc
        self.includesAUC = includesAUC
    }

    /// The value of one metric (`nil` when undefined).
    public subscript(metric: GroupMetric) -> Double? {
        get { storage[metric.index] }
        set { storage[metric.index] = newValue }
    }

    /// The metrics this value set reports, in output order.
    public var metrics: [GroupMetric] { includesAUC ? GroupMetric.allCases : GroupMetric.fromPredictions }
}

extension MetricValues: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes every reported metric, undefined ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for metric in metrics { try c.encode(self[metric], forKey: Key(stringValue: metric.rawValue)) }
    }

    /// Decodes the object written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        storage = try GroupMetric.allCases.map { try c.decodeIfPresent(Double.self, forKey: Key(stringValue: $0.rawValue)) }
        includesAUC = c.contains(Key(stringValue: GroupMetric.auc.rawValue))
    }
}
