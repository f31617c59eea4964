/// The outcome of one DP query: the noisy value and how it was produced. JSON field names are snake_case.
public struct DPRelease: Sendable, Hashable, Codable {
    /// `count`, `sum` or `mean`.
    public var query: String
    /// The column queried.
    public var column: String
    /// The released (noisy) value.
    public var value: Double
    /// The ε spent.
    public var epsilon: Double
    /// The δ spent (0 for these pure-DP queries).
    public var delta: Double
    /// The guarantee of the release.
    public var guarantee: PrivacyGuarantee
    /// The noise mechanism.
    public var mechanism: String
    /// The clamping bounds (sum and mean).
    public var bounds: ClampBounds?
    /// The discretization step of real values (sum and mean).
    public var granularity: Double?

    enum CodingKeys: String, CodingKey {
        case query, column, value, epsilon, delta, guarantee, mechanism, bounds, granularity
    }
}
