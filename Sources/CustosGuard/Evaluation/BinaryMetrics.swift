import CustosML

/// Detection figures of a scanner on a labelled set at one threshold.
public struct BinaryMetrics: Sendable, Codable, Equatable {
    /// tp / (tp + fp); 0 when nothing was flagged.
    public var precision: Double
    /// tp / (tp + fn): the detection rate of positives.
    public var recall: Double
    /// Harmonic mean of precision and recall.
    public var f1: Double
    /// ROC AUC of the scores (nil when one class is absent).
    public var auc: Double?
    /// The threshold: flagged when score ≥ threshold.
    public var threshold: Double
    /// Number of texts.
    public var n: Int
    /// Confusion counts.
    public var confusion: Confusion

    /// Counts of the four outcomes.
    public struct Confusion: Sendable, Codable, Equatable {
        /// Positives flagged.
        public var tp: Int
        /// Negatives flagged.
        public var fp: Int
        /// Negatives passed.
        public var tn: Int
        /// Positives passed.
        public var fn: Int
    }

    /// Computes the figures of `scores` against `labels` at `threshold`.
    public init(scores: [Double], labels: [Bool], threshold: Double) {
        var c = Confusion(tp: 0, fp: 0, tn: 0, fn: 0)
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label) {
            case (true, true): c.tp += 1
            case (true, false): c.fp += 1
            case (false, false): c.tn += 1
            case (false, true): c.fn += 1
            }
        }
        precision = c.tp + c.fp > 0 ? Double(c.tp) / Double(c.tp + c.fp) : 0
        recall = c.tp + c.fn > 0 ? Double(c.tp) / Double(c.tp + c.fn) : 0
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        auc = ROC.auc(scores: scores, labels: labels)
        self.threshold = threshold
        n = scores.count
        confusion = c
    }
}
