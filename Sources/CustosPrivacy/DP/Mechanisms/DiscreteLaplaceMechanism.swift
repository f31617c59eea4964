import BigInt
import CustosCore

/// The discrete Laplace (two-sided geometric) mechanism: adds Lap_ℤ(b) noise with b = Δ/ε, which is ε-DP for
/// integer queries of sensitivity Δ (Ghosh, Roughgarden & Sundararajan 2009; CKS 2020).
public struct DiscreteLaplaceMechanism: NoiseMechanism, Hashable {
    /// The privacy parameter ε (exact).
    public let epsilon: Rational
    /// The integer sensitivity Δ ≥ 1.
    public let sensitivity: BigUInt
    /// The noise sampler, scale Δ/ε.
    public let sampler: DiscreteLaplaceSampler

    /// ε-DP for queries of sensitivity Δ; ε must be positive.
    public init(epsilon: Rational, sensitivity: BigUInt = 1) throws {
        try validateMechanism(epsilon: epsilon, sensitivity: sensitivity)
        self.epsilon = epsilon
        self.sensitivity = sensitivity
        sampler = try DiscreteLaplaceSampler(scale: try Rational(sensitivity) / epsilon)
    }

    /// The noise scale b = Δ/ε.
    public var scale: Rational { sampler.scale }

    /// ε-DP.
    public var guarantee: PrivacyGuarantee { .pureDP(epsilon: epsilon.doubleValue) }

    /// `value` + Lap_ℤ(Δ/ε).
    public func release<G: RandomNumberGenerator>(_ value: BigInt, using generator: inout G) -> BigInt {
        value + sampler.sample(using: &generator)
    }
}

/// The geometric mechanism is the discrete Laplace mechanism under its other name.
public typealias GeometricMechanism = DiscreteLaplaceMechanism
