import CustosCore
import Foundation

/// The Word Embedding Association Test (Caliskan, Bryson & Narayanan 2017) on any vectors: two target sets X and Y
/// (e.g. instruments, weapons) and two attribute sets A and B (pleasant, unpleasant).
///
/// - `s(w) = mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b)`, in float64 on the given vectors;
/// - effect size `d = (mean_{x∈X} s(x) − mean_{y∈Y} s(y)) / std_{w∈X∪Y} s(w)` with the population standard deviation;
/// - one-sided permutation p-value: the fraction of the equal-size re-partitions (Xᵢ, Yᵢ) of X ∪ Y whose statistic
///   `Σ_{Xᵢ} s − Σ_{Yᵢ} s` is at least the observed one, the observed partition included. Every partition is
///   enumerated when there are at most `exactLimit` of them; otherwise `permutations` seeded random
///   re-partitions are drawn (a Monte Carlo estimate, with its count reported).
///
/// A positive `d` means X is closer to A (and Y to B) than the reverse.
public enum WEAT {
    /// The most partitions enumerated exactly (C(|X|+|Y|, |X|)); above it the p-value is sampled.
    public static let exactLimit = 1_000_000

    /// How the p-value was obtained.
    public enum PermutationMethod: Sendable, Equatable {
        /// Every re-partition enumerated (their number).
        case exact(partitions: Int)
        /// This many seeded random re-partitions.
        case sampled(permutations: Int)
    }

    /// One test's figures.
    public struct Result: Sendable, Equatable {
        /// Effect size d (population standard deviation).
        public var effectSize: Double
        /// The test statistic `Σ_X s − Σ_Y s`.
        public var statistic: Double
        /// One-sided p-value.
        public var pValue: Double
        /// Re-partitions at least as extreme as the observed one (the observed one included).
        public var extremeCount: Int
        /// Exact enumeration or sampling.
        public var method: PermutationMethod
        /// `s(x)` per first-target vector, in order.
        public var firstTargetAssociations: [Double]
        /// `s(y)` per second-target vector, in order.
        public var secondTargetAssociations: [Double]
    }

    /// Runs the test. Every set needs at least one vector (targets: at least two together, for a standard deviation),
    /// all of one dimension; a zero vector (no direction) is an error.
    public static func test(
        firstTarget x: [[Float]], secondTarget y: [[Float]], firstAttribute a: [[Float]], secondAttribute b: [[Float]],
        permutations: Int = 100_000, seed: UInt64 = 0
    ) throws -> Result {
        for (name, set) in [("first target", x), ("second target", y), ("first attribute", a), ("second attribute", b)] where set.isEmpty {
            throw CustosError(.invalidInput, "WEAT needs at least one vector in the \(name) set")
        }
        let dimension = x[0].count
        guard (x + y + a + b).allSatisfy({ $0.count == dimension }) else {
            throw CustosError(.invalidInput, "WEAT vectors must all have \(dimension) values")
        }
        guard permutations > 0 else { throw CustosError(.usage, "the number of permutations must be positive") }
        let unitA = try a.map(unit)
        let unitB = try b.map(unit)
        func association(_ w: [Float]) throws -> Double {
            let u = try unit(w)
            return mean(unitA.map { dot(u, $0) }) - mean(unitB.map { dot(u, $0) })
        }
        let sx = try x.map(association)
        let sy = try y.map(association)
        let all = sx + sy
        let average = mean(all)
        let deviation = (all.map { ($0 - average) * ($0 - average) }.reduce(0, +) / Double(all.count)).squareRoot()
        guard deviation > 0 else {
            throw CustosError(.invalidInput, "every target word has the same association: the effect size is undefined")
        }
        let effect = (mean(sx) - mean(sy)) / deviation
        let observedSum = sx.reduce(0, +)
        let statistic = observedSum - sy.reduce(0, +)
        // Σ_{Xᵢ} s − Σ_{Yᵢ} s = 2 Σ_{Xᵢ} s − Σ s: comparing the sums over Xᵢ is enough. The tolerance keeps the
        // observed partition (and exact ties) counted whatever order a sum was added in.
        let tolerance = 1e-12 * max(1, all.map(abs).reduce(0, +))
        let threshold = observedSum - tolerance
        let partitions = binomial(all.count, sx.count, cap: exactLimit + 1)
        if partitions <= exactLimit {
            let count = countSubsets(all, size: sx.count, atLeast: threshold)
            return Result(effectSize: effect, statistic: statistic, pValue: Double(count) / Double(partitions), extremeCount: count,
                          method: .exact(partitions: partitions), firstTargetAssociations: sx, secondTargetAssociations: sy)
        }
        var generator = SeededGenerator(seed: seed)
        var shuffled = all
        var count = 0
        for _ in 0..<permutations {
            // A partial Fisher–Yates shuffle: the first |X| places are a uniform random subset.
            var sum = 0.0
            for i in 0..<sx.count {
                let j = Int.random(in: i..<shuffled.count, using: &generator)
                shuffled.swapAt(i, j)
                sum += shuffled[i]
            }
            if sum >= threshold { count += 1 }
        }
        return Result(effectSize: effect, statistic: statistic, pValue: Double(count) / Double(permutations), extremeCount: count,
                      method: .sampled(permutations: permutations), firstTargetAssociations: sx, secondTargetAssociations: sy)
    }

    /// C(n, k), or `cap` when it is at least `cap`.
    public static func binomial(_ n: Int, _ k: Int, cap: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1
        for i in 0..<k {
            // result · (n − i) / (i + 1) stays an integer at every step.
            let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
            if overflow { return cap }
            result = product / (i + 1)
            if result >= cap { return cap }
        }
        return result
    }

    /// How many subsets of `size` values sum to at least `threshold` (depth-first, with running sums).
    static func countSubsets(_ values: [Double], size: Int, atLeast threshold: Double) -> Int {
        var count = 0
        values.withUnsafeBufferPointer { v in
            func visit(_ start: Int, _ remaining: Int, _ sum: Double) {
                if remaining == 0 {
                    if sum >= threshold { count += 1 }
                    return
                }
                guard v.count - start >= remaining else { return }
                for i in start...(v.count - remaining) { visit(i + 1, remaining - 1, sum + v[i]) }
            }
            visit(0, size, 0)
        }
        return count
    }

    private static func unit(_ v: [Float]) throws -> [Double] {
        let values = v.map(Double.init)
        let norm = values.map { $0 * $0 }.reduce(0, +).squareRoot()
        guard norm > 0, norm.isFinite else { throw CustosError(.invalidInput, "a WEAT vector is zero or not finite") }
        return values.map { $0 / norm }
    }

    private static func dot(_ u: [Double], _ v: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<u.count { sum += u[i] * v[i] }
        return sum
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}
