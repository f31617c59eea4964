import Foundation

/// One recorded release: who spent how much on which dataset, with which mechanism and parameters.
public struct LedgerEntry: Sendable, Hashable, Codable {
    /// Sequence number in the ledger.
    public var id: Int64
    /// The dataset charged.
    public var dataset: String
    /// The analyst charged.
    public var analyst: String
    /// The mechanism, e.g. `discrete_laplace`.
    public var mechanism: String
    /// The query and its parameters as a JSON object text (column, bounds, granularity, …).
    public var parameters: String
    /// What the release cost.
    public var cost: PrivacyCost
    /// When it was recorded (UTC, ISO 8601).
    public var recordedAt: String

    enum CodingKeys: String, CodingKey {
        case id, dataset, analyst, mechanism, parameters, cost
        case recordedAt = "recorded_at"
    }
}

/// A budget and what has been spent against it.
public struct BudgetStatus: Sendable, Hashable, Codable {
    /// The dataset.
    public var dataset: String
    /// The analyst.
    public var analyst: String
    /// The total allowed.
    public var limit: PrivacyCost
    /// The total spent (basic composition of every recorded release).
    public var spent: PrivacyCost
    /// limit − spent.
    public var remaining: PrivacyCost { spent.remaining(of: limit) }
    /// Number of releases recorded.
    public var releases: Int

    enum CodingKeys: String, CodingKey { case dataset, analyst, limit, spent, remaining, releases }

    /// Creates a status.
    public init(dataset: String, analyst: String, limit: PrivacyCost, spent: PrivacyCost, releases: Int) {
        self.dataset = dataset
        self.analyst = analyst
        self.limit = limit
        self.spent = spent
        self.releases = releases
    }

    /// Decodes the JSON form (`remaining` is derived and ignored).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try container.decode(String.self, forKey: .dataset)
        analyst = try container.decode(String.self, forKey: .analyst)
        limit = try container.decode(PrivacyCost.self, forKey: .limit)
        spent = try container.decode(PrivacyCost.self, forKey: .spent)
        releases = try container.decode(Int.self, forKey: .releases)
    }

    /// Encodes with `remaining` included.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(analyst, forKey: .analyst)
        try container.encode(limit, forKey: .limit)
        try container.encode(spent, forKey: .spent)
        try container.encode(remaining, forKey: .remaining)
        try container.encode(releases, forKey: .releases)
    }
}
