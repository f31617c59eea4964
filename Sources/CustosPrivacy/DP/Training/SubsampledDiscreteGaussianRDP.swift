import CustosCore
import Foundation

/// Rényi DP of one DP-SGD step with **discrete** Gaussian noise: the Poisson-subsampled sum of integer vectors v with
/// ‖v‖² ≤ B plus independent discrete Gaussian noise of variance V ≥ σ²B on every coordinate, under add/remove-one
/// neighbours. The tight subsampled-Gaussian analysis (`SubsampledGaussianRDP`) is proved for the continuous
/// Gaussian; this curve is proved here for the discrete one, direction by direction (docs/dp.md, "DP-SGD"), at
/// integer orders α ≥ 2 with P = N_ℤ(0, V)ⁿ, Q = N_ℤ(v, V)ⁿ, L = Q/P and c = 1/(2σ²):
///
/// - Q mixed in, (1 − q)P + qQ against P: A_α = Σ_ℓ C(α, ℓ)(1 − q)^(α−ℓ) q^ℓ E_P[L^ℓ], and E_P[L^ℓ] ≤ e^((ℓ² − ℓ)c)
///   because the discrete Gaussian's moment generating function is at most the continuous one's (Canonne, Kamath &
///   Steinke 2020, sub-Gaussianity) — so the continuous formula's binomial sum bounds it, term by term.
/// - P against the mixture: E_P[(1 + u)^(1−α)] with u = q(L − 1) ≥ −q, E_P[u] = 0 and
///   E_P[u²] = q²(E_P[L²] − 1) ≤ q²(e^(2c) − 1); Taylor's theorem with the Lagrange remainder bounds
///   (1 + u)^(1−α) ≤ 1 − (α − 1)u + C(α, 2)(1 − q)^(−(α+1))u², so the moment is at most
///   1 + C(α, 2)(1 − q)^(−(α+1)) q² (e^(2c) − 1).
///
/// ε(α) = log(max of the two) / (α − 1). A fractional order takes the value at ⌈α⌉ (Rényi divergence does not
/// decrease with the order). With q = 1 it is the discrete Gaussian's own α·c.
public struct SubsampledDiscreteGaussianRDP: RenyiDPCurve, Hashable, Codable {
    /// The Poisson sampling rate q ∈ [0, 1].
    public let samplingRate: Double
    /// σ: the noise standard deviation over the L2 sensitivity, both in grid units (≥ 0).
    public let noiseMultiplier: Double

    /// Validates q ∈ [0, 1] and σ ≥ 0 (both finite), as `SubsampledGaussianRDP` does.
    public init(samplingRate: Double, noiseMultiplier: Double) throws {
        let checked = try SubsampledGaussianRDP(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier)
        self.samplingRate = checked.samplingRate
        self.noiseMultiplier = checked.noiseMultiplier
    }

    /// ε(α) of one step, for an order α > 1 (∞ without noise, 0 without sampling).
    public func rdp(order alpha: Double) -> Double {
        let q = samplingRate
        let sigma = noiseMultiplier
        if q == 0 { return 0 }
        if alpha.isInfinite || sigma == 0 { return .infinity }
        let order = max(2, alpha.rounded(.up))
        if q == 1 { return order / (2 * sigma * sigma) }
        guard order <= RDPAccountant.maximumOrder else { return .infinity }
        let mixtureAgainstBase = SubsampledGaussianRDP.logAInteger(q: q, sigma: sigma, alpha: Int(order))
        return max(mixtureAgainstBase, Self.logBaseAgainstMixture(q: q, sigma: sigma, alpha: order)) / (order - 1)
    }

    /// log of the bound 1 + C(α, 2)(1 − q)^(−(α+1)) q² (e^(1/σ²) − 1) on E_P[(P/M)^(α−1)], M the mixture.
    static func logBaseAgainstMixture(q: Double, sigma: Double, alpha: Double) -> Double {
        let x = 1 / (sigma * sigma)
        // log(e^x − 1), without overflow for large x.
        let logExpm1 = x > 30 ? x + log1p(-exp(-x)) : log(expm1(x))
        let logExcess = LogSpace.binomial(alpha, 2) + 2 * log(q) - (alpha + 1) * log1p(-q) + logExpm1
        return LogSpace.add(0, logExcess)
    }
}
