/// One bin of a reliability (calibration) table.
public struct CalibrationBin: Sendable, Equatable, Codable {
    /// Lower edge of the score bin (inclusive).
    public var lower: Double
    /// Upper edge (exclusive, except the last bin which includes 1).
    public var upper: Double
    /// Rows whose score falls in the bin.
    public var count: Int
    /// Mean predicted score in the bin (`nil` when empty).
    public var meanScore: Double?
    /// Observed fraction of positives in the bin (`nil` when empty).
    public var observedRate: Double?

    enum CodingKeys: String, CodingKey {
        case lower, upper, count
        case meanScore = "mean_score"
        case observedRate = "observed_rate"
    }

    /// Creates a bin.
    public init(lower: Double, upper: Double, count: Int, meanScore: Double?, observedRate: Double?) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanScore = meanScore
        self.observedRate = observedRate
    }

    /// Encodes empty-bin statistics as explicit `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
        try c.encode(count, forKey: .count)
        try c.encode(meanScore, forKey: .meanScore)
        try c.encode(observedRate, forKey: .observedRate)
    }
}

/// Reliability tables: how well predicted probabilities match observed frequencies.
public enum Calibration {
    /// Equal-width bins over [0, 1] (scikit-learn's `calibration_curve(strategy="uniform")` binning).
    /// Returns `nil` when a score lies outside [0, 1] (not a probability).
    public static func table(scores: [Double], labels: [Bool], bins: Int = 10) -> [CalibrationBin]? {
        precondition(bins > 0 && scores.count == labels.count, "need at least one bin and equal lengths")
        var count = [Int](repeating: 0, count: bins)
        var sum = [Double](repeating: 0, count: bins)
        var positives = [Int](repeating: 0, count: bins)
        for (score, label) in zip(scores, labels) {
            guard score >= 0 && score <= 1 else { return nil }
            let b = min(Int(score * Double(bins)), bins - 1)
            count[b] += 1
            sum[b] += score
            if label { positives[b] += 1 }
        }
        var table: [CalibrationBin] = []
        let width = 1.0 / Double(bins)
        for b in 0..<bins {
            let n = count[b]
            let mean: Double? = n > 0 ? sum[b] / Double(n) : nil
            let rate: Double? = n > 0 ? Double(positives[b]) / Double(n) : nil
            table.append(CalibrationBin(
                lower: Double(b) * width, upper: Double(b + 1) * width, count: n, meanScore: mean, observedRate: rate))
        }
        return table
    }
}
