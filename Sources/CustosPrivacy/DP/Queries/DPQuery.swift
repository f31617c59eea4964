import BigInt
import CustosCore
import Foundation

/// A differentially private aggregate over one column of a table (add/remove-one-row neighbours), planned
/// before any data is touched so its cost is known up front:
/// - `count`: present values + Lap_ℤ(1/ε);
/// - `sum`: values clamped to the bounds, snapped to the grid (k = ⌊x/g + 1/2⌋) and summed exactly as
///   integers; one row moves the sum by at most Δ = max(|k_lo|, |k_hi|) grid steps, so Lap_ℤ(Δ/ε) noise;
/// - `mean`: a noisy sum (ε/2) over a noisy count (ε/2), clamped to the bounds.
/// Missing values are skipped; a value that is present but not numeric is an input error naming its row.
public struct DPQuery: Sendable, Hashable {
    /// The aggregate.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Number of present values.
        case count
        /// Sum of clamped values.
        case sum
        /// Mean of clamped values.
        case mean
    }

    /// The aggregate.
    public let kind: Kind
    /// The column.
    public let column: String
    /// The total ε of the release.
    public let epsilon: Rational
    /// The clamping bounds (sum and mean).
    public let bounds: ClampBounds?
    /// The grid for real values (sum and mean).
    public let granularity: Granularity?

    /// Validates the plan: ε > 0; sum and mean need bounds (the grid defaults to `bounds.defaultGranularity`).
    public init(_ kind: Kind, column: String, epsilon: Rational, bounds: ClampBounds? = nil, granularity: Granularity? = nil) throws {
        guard !epsilon.isZero else { throw CustosError(.usage, "epsilon must be positive") }
        if kind != .count && bounds == nil {
            throw CustosError(.usage, "a DP \(kind.rawValue) needs clamping bounds (--bounds lo,hi)")
        }
        self.kind = kind
        self.column = column
        self.epsilon = epsilon
        self.bounds = bounds
        self.granularity = kind == .count ? nil : (granularity ?? bounds?.defaultGranularity)
    }

    /// What the release spends: (ε, 0).
    public var cost: PrivacyCost { PrivacyCost(unchecked: epsilon, .zero) }

    /// The plan as a JSON object (for the ledger).
    public var parametersJSON: String {
        var fields = ["\"query\":\"\(kind.rawValue)\"", "\"column\":\(Self.quoted(column))", "\"epsilon\":\"\(epsilon)\""]
        if let bounds { fields.append("\"bounds\":[\(bounds.lower),\(bounds.upper)]") }
        if let granularity { fields.append("\"granularity\":\"\(granularity.step)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Reads and checks the column and computes the exact aggregates; no noise is drawn yet.
    public func prepare(_ table: Table) throws -> PreparedDPQuery {
        let values: [Double?]
        do {
            values = try table.column(named: column).doubles()
        } catch let error as CustosError {
            throw table.locate(error)
        }
        var present = 0
        var total = BigInt(0)
        var perRow = BigUInt(1)
        if let bounds, let granularity {
            let low = try granularity.index(of: bounds.lower)
            let high = try granularity.index(of: bounds.upper)
            perRow = max(perRow, max(low.magnitude, high.magnitude))
            var partial = 0  // summed in Int while it cannot overflow, then folded into the BigInt total
            for case let value? in values {
                present += 1
                let k = try granularity.index(of: bounds.clamp(value))
                if let small = Int(exactly: k), case (let next, false) = partial.addingReportingOverflow(small) {
                    partial = next
                } else {
                    total += BigInt(partial) + k
                    partial = 0
                }
            }
            total += BigInt(partial)
        } else {
            present = values.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        }
        return PreparedDPQuery(query: self, count: present, gridSum: total, gridSensitivity: perRow)
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Exact aggregates of a planned query, ready for noise.
public struct PreparedDPQuery: Sendable {
    /// The plan.
    public let query: DPQuery
    /// Present values.
    let count: Int
    /// Σ of snapped clamped values, in grid steps.
    let gridSum: BigInt
    /// One row's largest contribution to `gridSum`, in grid steps.
    let gridSensitivity: BigUInt

    /// Draws the noise and returns the release (from the operating system's secure source).
    public func release() throws -> DPRelease {
        var generator = SecureRandomSource()
        return try release(using: &generator)
    }

    /// Draws the noise with `generator` and returns the release.
    public func release<G: RandomNumberGenerator>(using generator: inout G) throws -> DPRelease {
        let two = try Rational(2)
        let half = try query.epsilon / two
        let value: Double
        switch query.kind {
        case .count:
            value = try noisyCount(epsilon: query.epsilon, using: &generator)
        case .sum:
            value = try noisySum(epsilon: query.epsilon, using: &generator)
        case .mean:
            let sum = try noisySum(epsilon: half, using: &generator)
            let count = try noisyCount(epsilon: half, using: &generator)
            guard let bounds = query.bounds else { throw CustosError(.internal, "a mean was planned without bounds") }
            value = bounds.clamp(sum / max(1, count))
        }
        return DPRelease(
            query: query.kind.rawValue, column: query.column, value: value, epsilon: query.epsilon.doubleValue, delta: 0,
            guarantee: .pureDP(epsilon: query.epsilon.doubleValue), mechanism: "discrete_laplace", bounds: query.bounds,
            granularity: query.granularity?.step.doubleValue)
    }

    /// count + Lap_ℤ(1/ε), floored at 0 (post-processing).
    private func noisyCount<G: RandomNumberGenerator>(epsilon: Rational, using generator: inout G) throws -> Double {
        let mechanism = try DiscreteLaplaceMechanism(epsilon: epsilon, sensitivity: 1)
        return max(0, Double(mechanism.release(BigInt(count), using: &generator)))
    }

    /// (Σk + Lap_ℤ(Δ/ε))·g.
    private func noisySum<G: RandomNumberGenerator>(epsilon: Rational, using generator: inout G) throws -> Double {
        let mechanism = try DiscreteLaplaceMechanism(epsilon: epsilon, sensitivity: gridSensitivity)
        let granularity = query.granularity ?? Granularity.unit
        return granularity.value(at: mechanism.release(gridSum, using: &generator))
    }
}
