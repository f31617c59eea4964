import CustosCore
import Foundation

/// Means of one measurement per group, with percentile bootstrap confidence intervals, and a two-sided permutation
/// test for every pair of groups: what counterfactual probes report for each score (Sheng et al. 2019).
public struct GroupComparison: Sendable, Equatable, Encodable {
    /// One group's mean.
    public struct Group: Sendable, Equatable, Encodable {
        /// Its name.
        public var name: String
        /// Observations.
        public var count: Int
        /// Their mean.
        public var mean: Double
        /// Percentile bootstrap interval of the mean (nil for fewer than two observations).
        public var lower: Double?
        /// See `lower`.
        public var upper: Double?
    }

    /// One pair's difference.
    public struct Difference: Sendable, Equatable, Encodable {
        /// First group.
        public var first: String
        /// Second group.
        public var second: String
        /// mean(first) − mean(second).
        public var difference: Double
        /// Two-sided permutation p-value, `(count + 1) / (permutations + 1)` where count is the relabelings whose
        /// |difference| is at least the observed one.
        public var pValue: Double

        enum CodingKeys: String, CodingKey { case first, second, difference, pValue = "p_value" }
    }

    /// Groups in the order given.
    public var groups: [Group]
    /// Every pair, in order.
    public var differences: [Difference]
    /// Confidence level of the intervals.
    public var confidence: Double
    /// Bootstrap resamples per group.
    public var resamples: Int
    /// Relabelings per pair.
    public var permutations: Int

    /// Compares `values` by group (groups with no observations are left out). Non-finite values are an error.
    public init(
        _ values: [(group: String, value: Double)], order: [String]? = nil, confidence: Double = 0.95, resamples: Int = 2_000,
        permutations: Int = 10_000, seed: UInt64 = 0
    ) throws {
        if let bad = values.first(where: { !$0.value.isFinite }) {
            throw CustosError(.invalidInput, "a non-finite value in group '\(bad.group)'")
        }
        guard confidence > 0, confidence < 1, resamples > 0, permutations > 0 else {
            throw CustosError(.usage, "confidence must be in (0, 1), resamples and permutations positive")
        }
        var byGroup: [String: [Double]] = [:]
        var seen: [String] = []
        for (group, value) in values {
            if byGroup[group] == nil { seen.append(group) }
            byGroup[group, default: []].append(value)
        }
        let names = (order ?? seen).filter { byGroup[$0] != nil }
        var generator = SeededGenerator(seed: seed)
        self.confidence = confidence
        self.resamples = resamples
        self.permutations = permutations
        groups = names.map { name in
            let sample = byGroup[name] ?? []
            let mean = sample.reduce(0, +) / Double(sample.count)
            guard sample.count > 1 else { return Group(name: name, count: sample.count, mean: mean, lower: nil, upper: nil) }
            var means: [Double] = []
            means.reserveCapacity(resamples)
            for _ in 0..<resamples {
                var sum = 0.0
                for _ in 0..<sample.count { sum += sample[Int.random(in: 0..<sample.count, using: &generator)] }
                means.append(sum / Double(sample.count))
            }
            means.sort()
            let tail = (1 - confidence) / 2
            return Group(name: name, count: sample.count, mean: mean, lower: Statistics.quantile(sorted: means, tail),
                         upper: Statistics.quantile(sorted: means, 1 - tail))
        }
        var differences: [Difference] = []
        for i in 0..<names.count {
            for j in (i + 1)..<max(names.count, i + 1) {
                let a = byGroup[names[i]] ?? [], b = byGroup[names[j]] ?? []
                let observed = a.reduce(0, +) / Double(a.count) - b.reduce(0, +) / Double(b.count)
                var pooled = a + b
                let total = pooled.reduce(0, +)
                var count = 0
                for _ in 0..<permutations {
                    var sumA = 0.0
                    for k in 0..<a.count {
                        pooled.swapAt(k, Int.random(in: k..<pooled.count, using: &generator))
                        sumA += pooled[k]
                    }
                    let difference = sumA / Double(a.count) - (total - sumA) / Double(b.count)
                    if abs(difference) >= abs(observed) - 1e-12 * max(1, abs(observed)) { count += 1 }
                }
                differences.append(Difference(first: names[i], second: names[j], difference: observed,
                                              pValue: Double(count + 1) / Double(permutations + 1)))
            }
        }
        self.differences = differences
    }
}
