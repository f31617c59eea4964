/// One released number: the noisy value of a (group, category) cell.
public struct DPReleaseValue: Sendable, Hashable, Codable {
    /// The group, when the query was grouped.
    public var group: String?
    /// The category, for a histogram.
    public var category: String?
    /// The released (noisy) value.
    public var value: Double
}

/// The outcome of one DP query: the noisy values and how they were produced. JSON field names are snake_case.
public struct DPRelease: Sendable, Hashable, Codable {
    /// `count`, `sum`, `mean`, `histogram` or `quantile`.
    public var query: String
    /// The column queried.
    public var column: String
    /// The single value of an ungrouped count, sum, mean or quantile (nil otherwise).
    public var value: Double?
    /// Every released value (one per group and category).
    public var values: [DPReleaseValue]
    /// The ε spent by the whole release (groups are disjoint; see `DPQuery`).
    public var epsilon: Double
    /// The δ spent (0 for pure-DP releases).
    public var delta: Double
    /// The guarantee of the release.
    public var guarantee: PrivacyGuarantee
    /// `discrete_laplace`, `discrete_gaussian` or `exponential_mechanism`.
    public var mechanism: String
    /// The clamping bounds (sum, mean, quantile).
    public var bounds: ClampBounds?
    /// The discretization step of real values (sum, mean, quantile).
    public var granularity: Double?
    /// The quantile released (quantile).
    public var quantile: Double?
    /// The grouping column.
    public var by: String?
    /// The per-user bound, when the privacy unit is a user.
    public var contributionBound: ContributionBound?

    enum CodingKeys: String, CodingKey {
        case query, column, value, values, epsilon, delta, guarantee, mechanism, bounds, granularity, quantile, by
        case contributionBound = "contribution_bound"
    }
}
