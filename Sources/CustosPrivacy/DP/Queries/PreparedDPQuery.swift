import BigInt
import CustosCore
import Foundation

/// Exact aggregates of a planned query, per group, ready for noise.
public struct PreparedDPQuery: Sendable {
    /// One group's exact aggregates.
    struct GroupAggregate: Sendable {
        /// Present values kept.
        var count: Int
        /// Σ of snapped clamped values, in grid steps (sum, mean).
        var gridSum: BigInt
        /// Snapped clamped values (quantile).
        var gridValues: [BigInt]
        /// Counts of the declared categories (histogram).
        var categoryCounts: [Int]
    }

    /// The plan.
    public let query: DPQuery
    /// Group names in release order ("" when ungrouped).
    let groupNames: [String]
    /// Exact aggregates per group.
    let exact: [GroupAggregate]
    /// One privacy unit's largest contribution to a grid sum, in grid steps (already × rows per unit).
    let gridSensitivity: BigUInt

    /// Draws the noise and returns the release (from the operating system's secure source).
    public func release() throws -> DPRelease {
        var generator = SecureRandomSource()
        return try release(using: &generator)
    }

    /// Draws the noise with `generator` and returns the release.
    public func release<G: RandomNumberGenerator>(using generator: inout G) throws -> DPRelease {
        var values: [DPReleaseValue] = []
        let grouped = query.groups != nil
        for (g, aggregate) in exact.enumerated() {
            let group = grouped ? groupNames[g] : nil
            switch query.kind {
            case .count:
                values.append(.init(group: group, category: nil, value: try noisyCount(aggregate.count, share: .one, using: &generator)))
            case .sum:
                values.append(.init(group: group, category: nil, value: try noisySum(aggregate.gridSum, share: .one, using: &generator)))
            case .mean:
                let half = try Rational(1, 2)
                let sum = try noisySum(aggregate.gridSum, share: half, using: &generator)
                let count = try noisyCount(aggregate.count, share: half, using: &generator)
                guard let bounds = query.bounds else { throw CustosError(.internal, "a mean was planned without bounds") }
                values.append(.init(group: group, category: nil, value: bounds.clamp(sum / max(1, count))))
            case .histogram:
                for (c, category) in (query.categories ?? []).enumerated() {
                    values.append(.init(group: group, category: category,
                                        value: try noisyCount(aggregate.categoryCounts[c], share: .one, using: &generator)))
                }
            case .quantile:
                values.append(.init(group: group, category: nil, value: try noisyQuantile(aggregate.gridValues, using: &generator)))
            }
        }
        return DPRelease(
            query: query.kind.rawValue, column: query.column,
            value: !grouped && query.kind != .histogram ? values.first?.value : nil, values: values,
            epsilon: query.epsilon.doubleValue, delta: query.delta.doubleValue, guarantee: query.guarantee,
            mechanism: query.mechanism, bounds: query.bounds,
            granularity: query.granularity?.step.doubleValue, quantile: query.quantile?.doubleValue,
            by: query.groups?.column, contributionBound: query.contributionBound)
    }

    /// count + noise of sensitivity L, floored at 0 (post-processing).
    private func noisyCount<G: RandomNumberGenerator>(_ count: Int, share: Rational, using generator: inout G) throws -> Double {
        let mechanism = try query.noise(sensitivity: query.rowsPerUnit, share: share)
        return max(0, Double(mechanism.release(BigInt(count), using: &generator)))
    }

    /// (Σk + noise of sensitivity Δ grid steps)·g.
    private func noisySum<G: RandomNumberGenerator>(_ gridSum: BigInt, share: Rational, using generator: inout G) throws -> Double {
        let mechanism = try query.noise(sensitivity: gridSensitivity, share: share)
        let granularity = query.granularity ?? Granularity.unit
        return granularity.value(at: mechanism.release(gridSum, using: &generator))
    }

    /// The exponential mechanism over the grid points of the bounds, utility −|b·#{values < k} − a·n|.
    private func noisyQuantile<G: RandomNumberGenerator>(_ gridValues: [BigInt], using generator: inout G) throws -> Double {
        guard let bounds = query.bounds, let granularity = query.granularity, let p = query.quantile else {
            throw CustosError(.internal, "a quantile was planned without bounds or p")
        }
        let low = try granularity.index(of: bounds.lower)
        let high = try granularity.index(of: bounds.upper)
        let sorted = gridValues.sorted()
        let n = BigInt(sorted.count)
        let a = BigInt(p.numerator)
        let b = BigInt(p.denominator)
        var utilities: [BigInt] = []
        var below = 0
        var k = low
        while k <= high {
            while below < sorted.count && sorted[below] < k { below += 1 }
            let gap = b * BigInt(below) - a * n
            utilities.append(-BigInt(gap.magnitude))
            k += 1
        }
        let sensitivity = max(p.numerator, p.denominator - p.numerator) * query.rowsPerUnit
        let mechanism = try ExponentialMechanism(epsilon: query.epsilon, sensitivity: max(1, sensitivity))
        let chosen = try mechanism.select(utilities: utilities, using: &generator)
        return granularity.value(at: low + BigInt(chosen))
    }
}
