import BigInt
import CustosCore

/// The discrete Gaussian mechanism: adds N_ℤ(0, σ²) noise, which is Δ²/(2σ²)-zCDP for integer queries of
/// sensitivity Δ (Canonne, Kamath & Steinke 2020, Theorem 4); (ε, δ) follows from the exact zCDP conversion.
public struct DiscreteGaussianMechanism: NoiseMechanism, Hashable {
    /// The integer sensitivity Δ ≥ 1.
    public let sensitivity: BigUInt
    /// The noise sampler.
    public let sampler: DiscreteGaussianSampler

    /// Noise with parameter σ (exact, positive).
    public init(sigma: Rational, sensitivity: BigUInt = 1) throws {
        guard !sensitivity.isZero else { throw CustosError(.invalidInput, "sensitivity must be at least 1") }
        self.sensitivity = sensitivity
        sampler = try DiscreteGaussianSampler(sigma: sigma)
    }

    /// The noise calibrated to ρ-zCDP: σ² = Δ²/(2ρ), exactly.
    public init(rho: Rational, sensitivity: BigUInt = 1) throws {
        guard !rho.isZero else { throw CustosError(.invalidInput, "rho must be positive") }
        guard !sensitivity.isZero else { throw CustosError(.invalidInput, "sensitivity must be at least 1") }
        self.sensitivity = sensitivity
        let delta = try Rational(sensitivity)
        sampler = try DiscreteGaussianSampler(variance: try (delta * delta) / (try Rational(2) * rho))
    }

    /// ρ = Δ²/(2σ²).
    public var rho: Double {
        let delta = Double(sensitivity)
        return delta * delta / (2 * sampler.variance.doubleValue)
    }

    /// ρ-zCDP.
    public var guarantee: PrivacyGuarantee { .zeroConcentratedDP(rho: rho) }

    /// `value` + N_ℤ(0, σ²).
    public func release<G: RandomNumberGenerator>(_ value: BigInt, using generator: inout G) -> BigInt {
        value + sampler.sample(using: &generator)
    }
}
