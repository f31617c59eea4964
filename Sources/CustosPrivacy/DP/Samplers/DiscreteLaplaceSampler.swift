import BigInt
import CustosCore
import Foundation

/// Exact sampler for the discrete Laplace distribution on ℤ with scale `b`:
/// P[X = x] = (1 − e^(−1/b)) / (1 + e^(−1/b)) · e^(−|x|/b)
/// (Canonne, Kamath & Steinke 2020, Algorithm 2). Also known as the two-sided geometric distribution.
public struct DiscreteLaplaceSampler: Sendable, Hashable {
    /// The scale `b = t/s` (positive, exact).
    public let scale: Rational

    /// A sampler with scale `b > 0`.
    public init(scale: Rational) throws {
        guard !scale.isZero else { throw CustosError(.invalidInput, "the discrete Laplace scale must be positive") }
        self.scale = scale
    }

    /// One draw from the operating system's cryptographically secure source.
    public func sample() -> BigInt {
        var generator = SystemRandomNumberGenerator()
        return sample(using: &generator)
    }

    /// One draw using `generator` (only a cryptographically secure source gives a private release).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> BigInt {
        if let t = UInt64(exactly: scale.numerator), let s = UInt64(exactly: scale.denominator) {
            return Self.sample(t: t, s: s, using: &generator)
        }
        return Self.sample(t: scale.numerator, s: scale.denominator, using: &generator)
    }

    /// P[X = x], in floating point (for tests and reports; never used to sample).
    public func probability(of x: Int) -> Double {
        let b = scale.doubleValue
        let decay = exp(-1 / b)
        return (1 - decay) / (1 + decay) * exp(-Double(x.magnitude) / b)
    }

    /// Algorithm 2 with scale t/s in 64-bit arithmetic; a candidate too large for 64 bits (U + t·V overflowing)
    /// is finished in arbitrary precision, so the distribution stays exact.
    static func sample<G: RandomNumberGenerator>(t: UInt64, s: UInt64, using generator: inout G) -> BigInt {
        while true {
            let u = UInt64.random(in: 0..<t, using: &generator)
            guard ExactBernoulli.sampleExpMinus(numerator: u, denominator: t, using: &generator) else { continue }
            var v: UInt64 = 0
            while ExactBernoulli.sampleExpMinusAtMostOne(numerator: UInt64(1), denominator: UInt64(1), using: &generator) { v += 1 }
            let (tv, overflow1) = t.multipliedReportingOverflow(by: v)
            let (x, overflow2) = u.addingReportingOverflow(tv)
            let magnitude = overflow1 || overflow2 ? (BigUInt(u) + BigUInt(t) * BigUInt(v)) / BigUInt(s) : BigUInt(x / s)
            let negative = Bool.random(using: &generator)
            if negative && magnitude.isZero { continue }
            return negative ? -BigInt(magnitude) : BigInt(magnitude)
        }
    }

    /// Algorithm 2 with scale t/s, arbitrary-size arithmetic.
    static func sample<G: RandomNumberGenerator>(t: BigUInt, s: BigUInt, using generator: inout G) -> BigInt {
        while true {
            let u = UniformInteger.below(t, using: &generator)
            guard ExactBernoulli.sampleExpMinus(numerator: u, denominator: t, using: &generator) else { continue }
            var v = BigUInt(0)
            while ExactBernoulli.sampleExpMinusAtMostOne(numerator: UInt64(1), denominator: UInt64(1), using: &generator) { v += 1 }
            let y = (u + t * v) / s
            let negative = Bool.random(using: &generator)
            if negative && y.isZero { continue }
            return negative ? -BigInt(y) : BigInt(y)
        }
    }
}
