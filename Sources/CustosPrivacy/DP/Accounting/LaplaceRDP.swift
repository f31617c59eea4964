import CustosCore
import Foundation

/// Rényi DP of the Laplace mechanism with scale b on a query of sensitivity Δ, i.e. pure ε = Δ/b
/// (Mironov 2017, Proposition 6; exactly tight):
/// ε(α) = ε + log(1 + (α − 1)·(e^((1 − 2α)ε) − 1)/(2α − 1)) / (α − 1),
/// evaluated as dp_accounting 0.6 does (`_laplace_rdp`, including its series for 1 < α < 1.1).
/// The discrete Laplace mechanism with the same ε has at most this divergence at every order.
public struct LaplaceRDP: RenyiDPCurve, Hashable, Codable {
    /// The pure-DP ε = Δ/b (the limit of ε(α) as α → ∞).
    public let epsilon: Double

    /// A curve for pure ε ≥ 0 (finite).
    public init(epsilon: Double) throws {
        guard epsilon.isFinite, epsilon >= 0 else { throw CustosError(.invalidInput, "epsilon must be finite and non-negative, got \(epsilon)") }
        self.epsilon = epsilon
    }

    /// The curve of the Laplace mechanism with noise scale over sensitivity `b/Δ` (ε = Δ/b).
    public init(noiseMultiplier: Double) throws {
        guard noiseMultiplier.isFinite, noiseMultiplier > 0 else {
            throw CustosError(.invalidInput, "the Laplace noise multiplier b/Δ must be positive, got \(noiseMultiplier)")
        }
        try self.init(epsilon: 1 / noiseMultiplier)
    }

    /// ε(α) for α ≥ 1 (α = 1 is the KL divergence).
    public func rdp(order a: Double) -> Double {
        let eps = epsilon
        if a == 1 { return eps + expm1(-eps) }
        if a < 1.1 {
            // log(1 + c·x)/x as its Taylor series in v = −c(α − 1) ∈ [0, 0.1].
            let c = expm1(eps * (1 - 2 * a)) / (2 * a - 1)
            let v = -c * (a - 1)
            var sum = 0.0
            var power = 1.0
            for k in 1..<100 {
                sum += power / Double(k)
                power *= v
            }
            return eps + c * sum
        }
        return eps + log1p((a - 1) * expm1(eps * (1 - 2 * a)) / (2 * a - 1)) / (a - 1)
    }
}
