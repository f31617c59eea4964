import BigInt

/// Exact Bernoulli trials with rational parameters: Bernoulli(n/d) and Bernoulli(exp(−n/d))
/// (Canonne, Kamath & Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithm 1).
///
/// Only integer comparisons of uniform draws decide outcomes, so the result has exactly the stated
/// distribution given a uniform random source. Parameters that fit in 64 bits take an allocation-free path.
public enum ExactBernoulli {
    /// `true` with probability `numerator / denominator` (requires `numerator ≤ denominator`, `denominator > 0`).
    public static func sample<G: RandomNumberGenerator>(
        numerator: BigUInt, denominator: BigUInt, using generator: inout G
    ) -> Bool {
        if let n = UInt64(exactly: numerator), let d = UInt64(exactly: denominator) {
            return sample(numerator: n, denominator: d, using: &generator)
        }
        return UniformInteger.below(denominator, using: &generator) < numerator
    }

    /// `true` with probability `numerator / denominator` (requires `numerator ≤ denominator`, `denominator > 0`).
    public static func sample<G: RandomNumberGenerator>(
        numerator: UInt64, denominator: UInt64, using generator: inout G
    ) -> Bool {
        UInt64.random(in: 0..<denominator, using: &generator) < numerator
    }

    /// `true` with probability `exp(−gamma)` for a rational `gamma ≥ 0`.
    public static func sampleExpMinus<G: RandomNumberGenerator>(_ gamma: Rational, using generator: inout G) -> Bool {
        sampleExpMinus(numerator: gamma.numerator, denominator: gamma.denominator, using: &generator)
    }

    /// `true` with probability `exp(−numerator/denominator)`.
    ///
    /// For γ > 1 this is the product of ⌊γ⌋ trials of Bernoulli(exp(−1)) and one of Bernoulli(exp(−(γ − ⌊γ⌋))),
    /// stopping at the first failure (expected at most 1/(1 − e⁻¹) ≈ 1.6 trials).
    public static func sampleExpMinus<G: RandomNumberGenerator>(
        numerator: BigUInt, denominator: BigUInt, using generator: inout G
    ) -> Bool {
        if let n = UInt64(exactly: numerator), let d = UInt64(exactly: denominator) {
            return sampleExpMinus(numerator: n, denominator: d, using: &generator)
        }
        var (whole, fraction) = numerator.quotientAndRemainder(dividingBy: denominator)
        while !whole.isZero {
            if !sampleExpMinusAtMostOne(numerator: UInt64(1), denominator: UInt64(1), using: &generator) { return false }
            whole -= 1
        }
        return sampleExpMinusAtMostOne(numerator: fraction, denominator: denominator, using: &generator)
    }

    /// `true` with probability `exp(−numerator/denominator)`, 64-bit parameters.
    public static func sampleExpMinus<G: RandomNumberGenerator>(
        numerator: UInt64, denominator: UInt64, using generator: inout G
    ) -> Bool {
        var whole = numerator / denominator
        let fraction = numerator % denominator
        while whole > 0 {
            if !sampleExpMinusAtMostOne(numerator: UInt64(1), denominator: UInt64(1), using: &generator) { return false }
            whole -= 1
        }
        return sampleExpMinusAtMostOne(numerator: fraction, denominator: denominator, using: &generator)
    }

    /// Algorithm 1 for γ = n/d ∈ [0, 1]: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until the first failure at
    /// K; return whether K is odd. P[K odd] = Σ_k (−γ)^k/k! = exp(−γ).
    static func sampleExpMinusAtMostOne<G: RandomNumberGenerator>(
        numerator: UInt64, denominator: UInt64, using generator: inout G
    ) -> Bool {
        var k: UInt64 = 1
        while true {
            let (scaled, overflow) = denominator.multipliedReportingOverflow(by: k)
            let success: Bool
            if overflow {
                success = sample(numerator: BigUInt(numerator), denominator: BigUInt(denominator) * BigUInt(k), using: &generator)
            } else {
                success = sample(numerator: numerator, denominator: scaled, using: &generator)
            }
            if !success { break }
            k += 1
        }
        return k % 2 == 1
    }

    /// Algorithm 1 for γ = n/d ∈ [0, 1] with arbitrary-size parameters.
    static func sampleExpMinusAtMostOne<G: RandomNumberGenerator>(
        numerator: BigUInt, denominator: BigUInt, using generator: inout G
    ) -> Bool {
        var k: UInt64 = 1
        while sample(numerator: numerator, denominator: denominator * BigUInt(k), using: &generator) { k += 1 }
        return k % 2 == 1
    }
}
