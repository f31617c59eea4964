import BigInt
import CustosCore
import Foundation

/// Exact sampler for the discrete Gaussian distribution on ℤ with variance parameter σ²:
/// P[X = x] = e^(−x²/(2σ²)) / Σ_y e^(−y²/(2σ²))
/// (Canonne, Kamath & Steinke 2020, Algorithm 3: rejection from a discrete Laplace with scale ⌊σ⌋ + 1).
public struct DiscreteGaussianSampler: Sendable, Hashable {
    /// σ², exact and positive.
    public let variance: Rational
    /// The discrete Laplace proposal's scale t = ⌊σ⌋ + 1.
    let proposalScale: BigUInt

    /// A sampler with parameter σ² (`variance`), which must be positive.
    public init(variance: Rational) throws {
        guard !variance.isZero else { throw CustosError(.invalidInput, "the discrete Gaussian variance must be positive") }
        self.variance = variance
        // ⌊√(n/d)⌋ = ⌊√⌊n/d⌋⌋ for integers k: k ≤ √x ⟺ k² ≤ x ⟺ k² ≤ ⌊x⌋.
        proposalScale = variance.floor.squareRoot() + 1
    }

    /// A sampler with parameter σ (so σ² = sigma · sigma, exactly).
    public init(sigma: Rational) throws {
        try self.init(variance: sigma * sigma)
    }

    /// One draw from the operating system's cryptographically secure source.
    public func sample() -> BigInt {
        var generator = SystemRandomNumberGenerator()
        return sample(using: &generator)
    }

    /// One draw using `generator` (only a cryptographically secure source gives a private release).
    ///
    /// With σ² = n/d and t = ⌊σ⌋ + 1: draw Y ~ Lap_ℤ(t) and accept it with probability
    /// exp(−(|Y| − σ²/t)² / (2σ²)) = exp(−(|Y|·d·t − n)² / (2·n·d·t²)).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> BigInt {
        let n = variance.numerator
        let d = variance.denominator
        let t = proposalScale
        if let n64 = UInt64(exactly: n), let d64 = UInt64(exactly: d), let t64 = UInt64(exactly: t),
           let denominator = Self.product([2, n64, d64, t64, t64]), let dt = Self.product([d64, t64]) {
            while true {
                let y = DiscreteLaplaceSampler.sample(t: t64, s: 1, using: &generator)
                if let y64 = UInt64(exactly: y.magnitude), let ydt = Self.product([y64, dt]) {
                    let difference = ydt >= n64 ? ydt - n64 : n64 - ydt
                    if let numerator = Self.product([difference, difference]) {
                        if ExactBernoulli.sampleExpMinus(numerator: numerator, denominator: denominator, using: &generator) { return y }
                        continue
                    }
                }
                if accept(y, n: n, d: d, t: t, using: &generator) { return y }
            }
        }
        while true {
            let y = DiscreteLaplaceSampler.sample(t: t, s: 1, using: &generator)
            if accept(y, n: n, d: d, t: t, using: &generator) { return y }
        }
    }

    /// The acceptance step in arbitrary precision.
    private func accept<G: RandomNumberGenerator>(
        _ y: BigInt, n: BigUInt, d: BigUInt, t: BigUInt, using generator: inout G
    ) -> Bool {
        let ydt = y.magnitude * d * t
        let difference = ydt >= n ? ydt - n : n - ydt
        return ExactBernoulli.sampleExpMinus(
            numerator: difference * difference, denominator: 2 * n * d * t * t, using: &generator)
    }

    /// The product of 64-bit factors, or nil when it overflows.
    private static func product(_ factors: [UInt64]) -> UInt64? {
        var result: UInt64 = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// P[X = x], in floating point (for tests and reports; never used to sample).
    public func probability(of x: Int) -> Double {
        let sigma2 = variance.doubleValue
        var normalizer = 0.0
        if sigma2 >= 1 {
            // Poisson summation: Σ_y e^(−y²/(2σ²)) = σ√(2π) · (1 + 2 Σ_{k≥1} e^(−2π²σ²k²)); the k = 1 term is
            // already below e^(−19) for σ ≥ 1.
            var theta = 1.0
            for k in 1...3 { theta += 2 * exp(-2 * Double.pi * Double.pi * sigma2 * Double(k * k)) }
            normalizer = (2 * Double.pi * sigma2).squareRoot() * theta
        } else {
            // σ < 1: the terms fall below e^(−800) by |y| = 40.
            normalizer = 1
            for y in 1...40 { normalizer += 2 * exp(-Double(y * y) / (2 * sigma2)) }
        }
        return exp(-Double(x) * Double(x) / (2 * sigma2)) / normalizer
    }
}
