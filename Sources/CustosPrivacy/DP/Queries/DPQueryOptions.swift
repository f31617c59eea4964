import CustosCore

/// Grouping by a column over groups declared in advance. Only declared groups are released (rows in other
/// groups are ignored): releasing the keys found in the data would itself leak who is in it.
public struct DeclaredGroups: Sendable, Hashable, Codable {
    /// The grouping column.
    public let column: String
    /// The groups released, in this order.
    public let groups: [String]

    /// At least one group, no duplicates.
    public init(column: String, groups: [String]) throws {
        guard !groups.isEmpty else {
            throw CustosError(.usage, "grouping by '\(column)' needs the groups declared (--groups a,b,…): releasing the keys found in the data would not be private")
        }
        guard Set(groups).count == groups.count else { throw CustosError(.usage, "the declared groups contain duplicates") }
        self.column = column
        self.groups = groups
    }
}

/// Per-user contribution bounding: each user keeps at most `maxRows` rows (the first ones in file order), so
/// neighbouring inputs differ by one user's rows and every sensitivity is multiplied by `maxRows`. Rows with a
/// missing user id are dropped.
public struct ContributionBound: Sendable, Hashable, Codable {
    /// The user-id column.
    public let userColumn: String
    /// Rows kept per user (≥ 1).
    public let maxRows: Int

    /// A bound of `maxRows` ≥ 1 rows per user.
    public init(userColumn: String, maxRows: Int = 1) throws {
        guard maxRows >= 1 else { throw CustosError(.usage, "the rows kept per user must be at least 1, got \(maxRows)") }
        self.userColumn = userColumn
        self.maxRows = maxRows
    }

    enum CodingKeys: String, CodingKey {
        case userColumn = "user_column"
        case maxRows = "max_rows"
    }
}
