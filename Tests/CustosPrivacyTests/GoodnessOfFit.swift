import Foundation

/// Pearson's chi-square goodness-of-fit test of integer draws against a pmf.
///
/// Bins: every integer whose expected count is at least `minimumExpected`, contiguous around the mode, plus
/// one bin for each tail (everything below, everything above). The p-value is the upper tail of the χ²
/// distribution with (bins − 1) degrees of freedom. A sampler test fails when p < `GoodnessOfFit.threshold`.
struct GoodnessOfFit {
    /// Per-test false-failure probability. The privacy suite runs 10 such tests (3 discrete Laplace, 3 discrete
    /// Gaussian, Bernoulli(exp(−γ)), randomized response, exponential mechanism, SecureRandomSource bytes), so a
    /// correct sampler fails the suite with probability ≤ 10 · 1e-7 = 1e-6 (union bound). (The power check fails only if a wrong
    /// sampler passes, which at its effect size has probability far below 1e-6.)
    static let threshold = 1e-7
    /// Pearson's approximation is reliable with expected counts ≥ 5 in every bin; we use 20.
    static let minimumExpected = 20.0

    var statistic: Double
    var degreesOfFreedom: Int
    var pValue: Double
    var bins: Int

    /// Tests `draws` against `pmf` (which must be symmetric-friendly: bins are grown outward from `center`).
    init(draws: [Int], center: Int = 0, pmf: (Int) -> Double) {
        let n = Double(draws.count)
        var low = center
        var high = center
        while n * pmf(low - 1) >= Self.minimumExpected { low -= 1 }
        while n * pmf(high + 1) >= Self.minimumExpected { high += 1 }
        var counts = [Double](repeating: 0, count: high - low + 1)
        var below = 0.0
        var above = 0.0
        for x in draws {
            if x < low { below += 1 } else if x > high { above += 1 } else { counts[x - low] += 1 }
        }
        var expected = (low...high).map { n * pmf($0) }
        let inside = expected.reduce(0, +)
        // Split the remaining mass between the tails in proportion to the pmf just outside the range.
        let rest = max(0, n - inside)
        let left = pmf(low - 1)
        let right = pmf(high + 1)
        let expectedBelow = left + right > 0 ? rest * left / (left + right) : rest / 2
        let expectedAbove = rest - expectedBelow
        var observed = counts
        if expectedBelow > 1e-6 { observed.append(below); expected.append(expectedBelow) }
        if expectedAbove > 1e-6 { observed.append(above); expected.append(expectedAbove) }
        var chi2 = 0.0
        for (o, e) in zip(observed, expected) { chi2 += (o - e) * (o - e) / e }
        statistic = chi2
        bins = observed.count
        degreesOfFreedom = observed.count - 1
        pValue = Self.chiSquareUpperTail(chi2, degreesOfFreedom: degreesOfFreedom)
    }

    /// Q(k/2, x/2): the regularized upper incomplete gamma function (series below a + 1, continued fraction above;
    /// Numerical Recipes §6.2).
    static func chiSquareUpperTail(_ x: Double, degreesOfFreedom k: Int) -> Double {
        let a = Double(k) / 2
        let z = x / 2
        if z <= 0 { return 1 }
        let logPrefix = -z + a * log(z) - lgamma(a)
        if z < a + 1 {
            var term = 1 / a
            var sum = term
            var ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= z / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = z + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logPrefix) * h
    }
}
