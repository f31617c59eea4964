import CustosCore

/// A group's randomized post-processing rule (Hardt, Price & Srebro 2016, as Fairlearn's `ThresholdOptimizer`
/// stores it): with probability `p0` predict `score > threshold0`, else `score > threshold1`; then, with
/// probability `pIgnore`, replace that by a coin with probability `predictionConstant`.
public struct RandomizedThreshold: Sendable, Equatable, Codable {
    /// Weight of the first threshold.
    public var p0: Double
    /// First threshold (may be ±∞: never / always positive).
    public var threshold0: Double
    /// Weight of the second threshold (`1 − p0`).
    public var p1: Double
    /// Second threshold.
    public var threshold1: Double
    /// Probability of ignoring the score (equalized odds only; 0 otherwise).
    public var pIgnore: Double
    /// Positive probability used when the score is ignored.
    public var predictionConstant: Double

    /// Creates a rule.
    public init(p0: Double, threshold0: Double, p1: Double, threshold1: Double, pIgnore: Double = 0, predictionConstant: Double = 0) {
        self.p0 = p0
        self.threshold0 = threshold0
        self.p1 = p1
        self.threshold1 = threshold1
        self.pIgnore = pIgnore
        self.predictionConstant = predictionConstant
    }

    /// The probability that this rule predicts positive for `score`.
    public func positiveProbability(_ score: Double) -> Double {
        let thresholded = p0 * (score > threshold0 ? 1 : 0) + p1 * (score > threshold1 ? 1 : 0)
        return pIgnore * predictionConstant + (1 - pIgnore) * thresholded
    }

    enum CodingKeys: String, CodingKey {
        case p0, threshold0 = "threshold0", p1, threshold1 = "threshold1", pIgnore = "p_ignore"
        case predictionConstant = "prediction_constant"
    }

    /// Encodes thresholds as numbers, or `"inf"` / `"-inf"` (JSON has no infinities).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(p0, forKey: .p0)
        try container.encode(p1, forKey: .p1)
        try container.encode(pIgnore, forKey: .pIgnore)
        try container.encode(predictionConstant, forKey: .predictionConstant)
        try Self.encodeThreshold(threshold0, forKey: .threshold0, in: &container)
        try Self.encodeThreshold(threshold1, forKey: .threshold1, in: &container)
    }

    /// Decodes the form `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        p0 = try container.decode(Double.self, forKey: .p0)
        p1 = try container.decode(Double.self, forKey: .p1)
        pIgnore = try container.decodeIfPresent(Double.self, forKey: .pIgnore) ?? 0
        predictionConstant = try container.decodeIfPresent(Double.self, forKey: .predictionConstant) ?? 0
        threshold0 = try Self.decodeThreshold(.threshold0, in: container)
        threshold1 = try Self.decodeThreshold(.threshold1, in: container)
    }

    static func encodeThreshold(_ value: Double, forKey key: CodingKeys, in container: inout KeyedEncodingContainer<CodingKeys>) throws {
        if value.isInfinite { try container.encode(value > 0 ? "inf" : "-inf", forKey: key) } else { try container.encode(value, forKey: key) }
    }

    static func decodeThreshold(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Double {
        if let text = try? container.decode(String.self, forKey: key) {
            switch text {
            case "inf": return .infinity
            case "-inf": return -.infinity
            default: throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "threshold must be a number, \"inf\" or \"-inf\"")
            }
        }
        return try container.decode(Double.self, forKey: key)
    }
}
