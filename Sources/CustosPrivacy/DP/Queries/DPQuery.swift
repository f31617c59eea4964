import BigInt
import CustosCore
import Foundation

/// A differentially private aggregate over one column of a table, planned before any data is touched so its
/// cost is known up front. Neighbours differ by one row, or by one user's rows under a `ContributionBound`
/// of L rows (every sensitivity below is then multiplied by L).
/// With δ > 0 (not for quantiles) the noise below is the discrete Gaussian instead of the discrete Laplace,
/// calibrated to the largest ρ whose exact CKS conversion gives (ε, δ); its σ² = Δ²/(2ρ) with the same Δ
/// (one unit's change is at most Δ in L1 and so in L2), a mean splits ρ in halves.
/// - `count`: present values + Lap_ℤ(L/ε);
/// - `sum`: values clamped to the bounds, snapped to the grid (k = ⌊x/g + 1/2⌋) and summed exactly as
///   integers, + Lap_ℤ(L·max(|k_lo|, |k_hi|)/ε) grid steps;
/// - `mean`: a noisy sum (ε/2) over a noisy count (ε/2), clamped to the bounds;
/// - `histogram`: counts of the declared categories (others ignored) + Lap_ℤ(L/ε) each (one row changes one
///   cell, so the L1 sensitivity is L);
/// - `quantile` p = a/b: the exponential mechanism over grid points k in the bounds with integer utility
///   −|b·#{values < k} − a·n|, sensitivity L·max(a, b − a).
/// Grouped by declared groups, each group gets the full ε: one row lies in one group, and one user's L rows
/// change the groups' answers by at most L units in total, which every sensitivity above already covers.
/// Missing values are skipped; a present value that is not numeric is an input error naming its row.
public struct DPQuery: Sendable, Hashable {
    /// The aggregate.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Number of present values.
        case count
        /// Sum of clamped values.
        case sum
        /// Mean of clamped values.
        case mean
        /// Counts of declared categories.
        case histogram
        /// A quantile of clamped values.
        case quantile
    }

    /// The largest number of grid points a quantile may choose from.
    public static let maximumQuantileCandidates = 1_000_000

    /// The aggregate.
    public let kind: Kind
    /// The column.
    public let column: String
    /// The total ε of the release.
    public let epsilon: Rational
    /// The δ of the release; when positive the noise is the discrete Gaussian calibrated to `rho`.
    public let delta: Rational
    /// The zCDP budget ρ (exact value of the largest double whose CKS conversion at δ is within ε), when δ > 0.
    public let rho: Rational?
    /// The clamping bounds (sum, mean, quantile).
    public let bounds: ClampBounds?
    /// The grid for real values (sum, mean, quantile).
    public let granularity: Granularity?
    /// The categories counted (histogram).
    public let categories: [String]?
    /// The quantile p ∈ [0, 1] (quantile).
    public let quantile: Rational?
    /// Declared groups, when grouped.
    public let groups: DeclaredGroups?
    /// The per-user bound, when the privacy unit is a user.
    public let contributionBound: ContributionBound?

    /// Validates the plan: ε > 0; sum, mean and quantile need bounds (the grid defaults to
    /// `bounds.defaultGranularity`); a histogram needs declared categories; a quantile needs p ∈ [0, 1].
    public init(
        _ kind: Kind, column: String, epsilon: Rational, delta: Rational = .zero, bounds: ClampBounds? = nil,
        granularity: Granularity? = nil,
        categories: [String]? = nil, quantile: Rational? = nil, groups: DeclaredGroups? = nil,
        contributionBound: ContributionBound? = nil
    ) throws {
        guard !epsilon.isZero else { throw CustosError(.usage, "epsilon must be positive") }
        guard delta < .one else { throw CustosError(.usage, "delta must be below 1, got \(delta.doubleValue)") }
        if kind == .quantile && !delta.isZero {
            throw CustosError(.usage, "a DP quantile is pure ε-DP (exponential mechanism); drop --delta")
        }
        let numeric = kind == .sum || kind == .mean || kind == .quantile
        if numeric && bounds == nil {
            throw CustosError(.usage, "a DP \(kind.rawValue) needs clamping bounds (--bounds lo,hi)")
        }
        if kind == .histogram {
            guard let categories, !categories.isEmpty, Set(categories).count == categories.count else {
                throw CustosError(.usage, "a DP histogram needs its categories declared, without duplicates (--categories a,b,…)")
            }
        }
        if kind == .quantile {
            guard let quantile, quantile <= .one else { throw CustosError(.usage, "a DP quantile needs p in [0, 1] (--quantile 0.5)") }
        }
        self.kind = kind
        self.column = column
        self.epsilon = epsilon
        self.delta = delta
        rho = delta.isZero ? nil : try Rational(exactly: ZeroConcentratedDP.rho(epsilon: epsilon.doubleValue, delta: delta.doubleValue))
        self.bounds = numeric ? bounds : nil
        self.granularity = numeric ? (granularity ?? bounds?.defaultGranularity) : nil
        self.categories = kind == .histogram ? categories : nil
        self.quantile = kind == .quantile ? quantile : nil
        self.groups = groups
        self.contributionBound = contributionBound
        if kind == .quantile, let bounds, let grid = self.granularity {
            let candidates = try grid.index(of: bounds.upper) - grid.index(of: bounds.lower) + 1
            guard candidates <= BigInt(Self.maximumQuantileCandidates) else {
                throw CustosError(.usage, "the quantile would choose among \(candidates) grid points (at most \(Self.maximumQuantileCandidates)); use a coarser --granularity")
            }
        }
    }

    /// The noise mechanism: `exponential_mechanism` for quantiles, `discrete_gaussian` with δ > 0,
    /// `discrete_laplace` otherwise.
    public var mechanism: String {
        kind == .quantile ? "exponential_mechanism" : rho == nil ? "discrete_laplace" : "discrete_gaussian"
    }

    /// The guarantee of the whole release: ε-DP, or ρ-zCDP (which implies (ε, δ)-DP) with Gaussian noise.
    public var guarantee: PrivacyGuarantee {
        rho.map { .zeroConcentratedDP(rho: $0.doubleValue) } ?? .pureDP(epsilon: epsilon.doubleValue)
    }

    /// What the release spends: (ε, δ).
    public var cost: PrivacyCost { PrivacyCost(unchecked: epsilon, delta) }

    /// The noise for a share of the budget (ε·share, or ρ·share) on a query of integer sensitivity Δ.
    func noise(sensitivity: BigUInt, share: Rational) throws -> any NoiseMechanism {
        if let rho { return try DiscreteGaussianMechanism(rho: rho * share, sensitivity: sensitivity) }
        return try DiscreteLaplaceMechanism(epsilon: epsilon * share, sensitivity: sensitivity)
    }

    /// Rows per privacy unit (1 without a contribution bound).
    var rowsPerUnit: BigUInt { BigUInt(contributionBound?.maxRows ?? 1) }

    /// The plan as a JSON object (for the ledger).
    public var parametersJSON: String {
        var fields = ["\"query\":\"\(kind.rawValue)\"", "\"column\":\(Self.quoted(column))", "\"epsilon\":\"\(epsilon)\""]
        if let rho { fields += ["\"delta\":\"\(delta)\"", "\"rho\":\(rho.doubleValue)"] }
        if let bounds { fields.append("\"bounds\":[\(bounds.lower),\(bounds.upper)]") }
        if let granularity { fields.append("\"granularity\":\"\(granularity.step)\"") }
        if let categories { fields.append("\"categories\":[\(categories.map(Self.quoted).joined(separator: ","))]") }
        if let quantile { fields.append("\"quantile\":\"\(quantile)\"") }
        if let groups {
            fields.append("\"by\":\(Self.quoted(groups.column))")
            fields.append("\"groups\":[\(groups.groups.map(Self.quoted).joined(separator: ","))]")
        }
        if let contributionBound {
            fields.append("\"user_id\":\(Self.quoted(contributionBound.userColumn))")
            fields.append("\"max_rows_per_user\":\(contributionBound.maxRows)")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Reads and checks the columns and computes the exact aggregates of every group; no noise is drawn yet.
    public func prepare(_ table: Table) throws -> PreparedDPQuery {
        do {
            return try exactAggregates(table)
        } catch let error as CustosError {
            throw table.locate(error)
        }
    }

    private func exactAggregates(_ table: Table) throws -> PreparedDPQuery {
        let target = try table.column(named: column)
        let numbers: [Double?]? = bounds == nil ? nil : try target.doubles()
        // Which rows count: per-user bounding first (file order), then the declared groups.
        var keep = [Bool](repeating: true, count: table.rowCount)
        if let contributionBound {
            let users = try table.column(named: contributionBound.userColumn)
            var seen: [String: Int] = [:]
            for row in 0..<table.rowCount {
                guard let user = users.string(at: row) else { keep[row] = false; continue }
                let used = seen[user, default: 0]
                keep[row] = used < contributionBound.maxRows
                seen[user] = used + 1
            }
        }
        let groupNames = groups?.groups ?? [""]
        var groupOf = [Int](repeating: 0, count: table.rowCount)
        if let groups {
            let index = Dictionary(uniqueKeysWithValues: groups.groups.enumerated().map { ($1, $0) })
            let keys = try table.column(named: groups.column)
            for row in 0..<table.rowCount {
                if let key = keys.string(at: row), let g = index[key] { groupOf[row] = g } else { keep[row] = false }
            }
        }
        var exact = [PreparedDPQuery.GroupAggregate](
            repeating: .init(count: 0, gridSum: 0, gridValues: [], categoryCounts: [Int](repeating: 0, count: categories?.count ?? 0)),
            count: groupNames.count)
        let categoryIndex = Dictionary(uniqueKeysWithValues: (categories ?? []).enumerated().map { ($1, $0) })
        for row in 0..<table.rowCount where keep[row] && !target.isMissing(row) {
            let g = groupOf[row]
            exact[g].count += 1
            if kind == .histogram, let value = target.string(at: row), let c = categoryIndex[value] {
                exact[g].categoryCounts[c] += 1
            }
            if let numbers, let bounds, let granularity, let value = numbers[row] {
                let k = try granularity.index(of: bounds.clamp(value))
                if kind == .quantile { exact[g].gridValues.append(k) } else { exact[g].gridSum += k }
            }
        }
        var gridSensitivity = BigUInt(1)
        if let bounds, let granularity {
            let low = try granularity.index(of: bounds.lower)
            let high = try granularity.index(of: bounds.upper)
            gridSensitivity = max(gridSensitivity, max(low.magnitude, high.magnitude))
        }
        return PreparedDPQuery(query: self, groupNames: groupNames, exact: exact, gridSensitivity: gridSensitivity * rowsPerUnit)
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
