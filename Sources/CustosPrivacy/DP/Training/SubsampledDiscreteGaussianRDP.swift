import CustosCore
import Foundation

/// Rényi DP of one DP-SGD step with **discrete** Gaussian noise: the Poisson-subsampled sum of integer vectors of
/// L2 norm ≤ Δ plus independent discrete Gaussian noise of variance σ²Δ² on every coordinate, under
/// add/remove-one neighbours.
///
/// The tight subsampled-Gaussian formula (`SubsampledGaussianRDP`) is proved for the continuous Gaussian only, so
/// this curve uses the general Poisson-subsampling bound of Zhu & Wang 2019 ("Poisson Subsampled Rényi
/// Differential Privacy", Theorem 6), which holds for any base mechanism with RDP curve ε(·), applied to the
/// discrete Gaussian's curve ε(α) = α/(2σ²) (Canonne, Kamath & Steinke 2020: shifts by integer vectors of norm ≤ Δ
/// cost at most αΔ²/(2σ²Δ²), coordinate by coordinate). For integer α ≥ 2 and q ∈ (0, 1):
///
///     A_α = (1 − q)^(α−1)·(1 + (α − 1)q) + C(α, 2)·q²(1 − q)^(α−2)·e^(ε(2))
///           + Σ_{ℓ=3..α} C(α, ℓ)·q^ℓ(1 − q)^(α−ℓ)·max(3·e^((ℓ−1)ε(ℓ)), e^(ℓ·ε(ℓ+1))),   ε'(α) = log A_α / (α − 1).
///
/// The maximum in the ℓ ≥ 3 terms covers both published forms of the theorem (the paper's factor 3, and the
/// shifted-order form of its authors' autodp library), so the bound holds if either does. A fractional order α
/// takes the value at ⌈α⌉ (Rényi divergence does not decrease with the order). The bound is never below the
/// continuous formula (tested), so the price of exact sampling is a slightly larger noise multiplier.
public struct SubsampledDiscreteGaussianRDP: RenyiDPCurve, Hashable, Codable {
    /// The Poisson sampling rate q ∈ [0, 1].
    public let samplingRate: Double
    /// σ: the noise standard deviation over the L2 sensitivity, both in grid units (≥ 0).
    public let noiseMultiplier: Double

    /// Validates q ∈ [0, 1] and σ ≥ 0 (both finite).
    public init(samplingRate: Double, noiseMultiplier: Double) throws {
        guard samplingRate.isFinite, samplingRate >= 0, samplingRate <= 1 else {
            throw CustosError(.invalidInput, "the sampling rate q must be in [0, 1], got \(samplingRate)")
        }
        guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
            throw CustosError(.invalidInput, "the noise multiplier sigma must be finite and non-negative, got \(noiseMultiplier)")
        }
        self.samplingRate = samplingRate
        self.noiseMultiplier = noiseMultiplier
    }

    /// The discrete Gaussian's own RDP at order α for sensitivity 1 in units of the noise multiplier: α/(2σ²).
    func baseRDP(_ alpha: Double) -> Double { alpha / (2 * noiseMultiplier * noiseMultiplier) }

    /// ε(α) of one step, for an order α > 1 (∞ without noise, 0 without sampling).
    public func rdp(order alpha: Double) -> Double {
        let q = samplingRate
        if q == 0 { return 0 }
        if alpha.isInfinite || noiseMultiplier == 0 { return .infinity }
        if q == 1 { return baseRDP(alpha) }
        let order = max(2, alpha.rounded(.up))
        guard order <= RDPAccountant.maximumOrder else { return .infinity }
        return logA(order: Int(order)) / (order - 1)
    }

    /// log A_α at an integer order α ≥ 2, summed in log space.
    func logA(order alpha: Int) -> Double {
        let q = samplingRate
        let a = Double(alpha)
        let logQ = log(q)
        let log1mq = log1p(-q)
        var logA = (a - 1) * log1mq + log1p((a - 1) * q)
        logA = LogSpace.add(logA, LogSpace.binomial(a, 2) + 2 * logQ + (a - 2) * log1mq + baseRDP(2))
        if alpha >= 3 {
            for l in 3...alpha {
                let dl = Double(l)
                let moment = max(log(3) + (dl - 1) * baseRDP(dl), dl * baseRDP(dl + 1))
                logA = LogSpace.add(logA, LogSpace.binomial(a, dl) + dl * logQ + (a - dl) * log1mq + moment)
            }
        }
        return logA
    }
}
