import BigInt
import CustosCore

/// The documented discretization for real-valued releases: a value x is snapped to the grid index
/// k = ⌊x/g + 1/2⌋ (exact rational arithmetic on the double's binary value), integer noise is added to k, and
/// the release is k·g. No floating-point number ever enters the sampling, so the attacks on floating-point
/// Laplace noise (Mironov 2012) do not apply; the output is post-processing of an integer release.
///
/// Sensitivity: if |x − x′| ≤ Δ then |k − k′| ≤ ⌈Δ/g⌉, because rounding with one rule (half up) keeps
/// k ∈ (x/g − 1/2, x/g + 1/2], so |k − k′| < Δ/g + 1 and the difference is an integer.
public struct Granularity: Sendable, Hashable {
    /// The grid step g > 0.
    public let step: Rational

    /// A grid with step g (positive).
    public init(_ step: Rational) throws {
        guard !step.isZero else { throw CustosError(.invalidInput, "the granularity must be positive") }
        self.step = step
    }

    init(uncheckedStep step: Rational) {
        self.step = step
    }

    /// The grid index k = ⌊x/g + 1/2⌋ of a finite value.
    public func index(of x: Double) throws -> BigInt {
        guard x.isFinite else { throw CustosError(.invalidInput, "cannot release a non-finite value (\(x))") }
        let magnitude = try Rational(exactly: x.magnitude)
        // |x|/g = n/d.
        let n = magnitude.numerator * step.denominator
        let d = magnitude.denominator * step.numerator
        if x >= 0 {
            return BigInt((2 * n + d) / (2 * d))  // ⌊n/d + 1/2⌋
        }
        // ⌊−n/d + 1/2⌋ = −⌈(2n − d)/(2d)⌉.
        let twoN = 2 * n
        if twoN <= d { return 0 }
        let (q, r) = (twoN - d).quotientAndRemainder(dividingBy: 2 * d)
        return -BigInt(r.isZero ? q : q + 1)
    }

    /// k·g as the nearest double.
    public func value(at k: BigInt) -> Double {
        let magnitude = Double(k.magnitude) * step.doubleValue
        return k.sign == .minus ? -magnitude : magnitude
    }

    /// The integer sensitivity ⌈Δ/g⌉ (at least 1) of the snapped query when the real query has sensitivity Δ.
    public func integerSensitivity(_ sensitivity: Rational) throws -> BigUInt {
        max(1, try (sensitivity / step).ceiling)
    }
}

/// A real-valued release through a `Granularity`: snap, add the integer mechanism's noise, scale back.
public struct GranularRelease<Mechanism: NoiseMechanism>: Sendable {
    /// The grid.
    public let granularity: Granularity
    /// The integer mechanism, whose sensitivity covers the snapped query.
    public let mechanism: Mechanism

    /// Pairs a grid with a mechanism (built with `granularity.integerSensitivity(Δ)`).
    public init(granularity: Granularity, mechanism: Mechanism) {
        self.granularity = granularity
        self.mechanism = mechanism
    }

    /// The mechanism's guarantee (snapping and scaling are post-processing).
    public var guarantee: PrivacyGuarantee { mechanism.guarantee }

    /// A noisy release of `value`, from the operating system's secure source.
    public func release(_ value: Double) throws -> Double {
        var generator = SystemRandomNumberGenerator()
        return try release(value, using: &generator)
    }

    /// A noisy release of `value` using `generator`.
    public func release<G: RandomNumberGenerator>(_ value: Double, using generator: inout G) throws -> Double {
        granularity.value(at: mechanism.release(try granularity.index(of: value), using: &generator))
    }
}

extension DiscreteLaplaceMechanism {
    /// ε-DP release of a real-valued query with sensitivity Δ on the grid `granularity`.
    public static func realValued(
        epsilon: Rational, sensitivity: Rational, granularity: Granularity
    ) throws -> GranularRelease<DiscreteLaplaceMechanism> {
        GranularRelease(
            granularity: granularity,
            mechanism: try DiscreteLaplaceMechanism(epsilon: epsilon, sensitivity: try granularity.integerSensitivity(sensitivity)))
    }
}

extension DiscreteGaussianMechanism {
    /// ρ-zCDP release of a real-valued query with L2 sensitivity Δ on the grid `granularity`.
    public static func realValued(
        rho: Rational, sensitivity: Rational, granularity: Granularity
    ) throws -> GranularRelease<DiscreteGaussianMechanism> {
        GranularRelease(
            granularity: granularity,
            mechanism: try DiscreteGaussianMechanism(rho: rho, sensitivity: try granularity.integerSensitivity(sensitivity)))
    }
}
