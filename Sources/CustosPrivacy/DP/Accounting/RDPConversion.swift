import CustosCore
import Foundation

/// ε at a δ, and the Rényi order that gives it.
public struct RDPEpsilon: Sendable, Hashable, Codable {
    /// The (ε, δ)-DP ε.
    public var epsilon: Double
    /// The order α at which the minimum is reached.
    public var order: Double
}

/// Conversion from RDP to (ε, δ)-DP exactly as dp_accounting 0.6 (`rdp.compute_epsilon`): for each order
/// ε = r + log1p(−1/α) − log(δ·α)/(α − 1) (Canonne, Kamath & Steinke 2020, Prop. 12; Asoodeh et al. 2020),
/// 0 when δ² + expm1(−r) > 0 (the KL bound), ∞ for α ≤ 1.01 (numerically unstable there); the first minimum wins.
public enum RDPConversion {
    /// The smallest ε over `orders`, with δ ∈ (0, 1) (δ = 0 gives ∞ unless every r is 0).
    public static func epsilon(orders: [Double], rdp: [Double], delta: Double) throws -> RDPEpsilon {
        guard delta >= 0, delta < 1, !delta.isNaN else {
            throw CustosError(.invalidInput, "delta must be in [0, 1), got \(delta)")
        }
        guard orders.count == rdp.count, !orders.isEmpty else {
            throw CustosError(.invalidInput, "RDP orders and values must be non-empty and of equal length")
        }
        if delta == 0 {
            return rdp.allSatisfy({ $0 == 0 }) ? RDPEpsilon(epsilon: 0, order: 0) : RDPEpsilon(epsilon: .infinity, order: 0)
        }
        var best = RDPEpsilon(epsilon: .infinity, order: orders[0])
        var first = true
        for (alpha, r) in zip(orders, rdp) {
            guard alpha >= 1 else { throw CustosError(.invalidInput, "Rényi orders must be at least 1, got \(alpha)") }
            let epsilon: Double
            if r < 0 {
                epsilon = 0
            } else if delta * delta + expm1(-r) > 0 {
                epsilon = 0
            } else if alpha > 1.01 {
                epsilon = r + log1p(-1 / alpha) - log(delta * alpha) / (alpha - 1)
            } else {
                epsilon = .infinity
            }
            // np.argmin: the first index of the minimum (NaN would win there; none arises from finite input).
            if first || epsilon < best.epsilon {
                best = RDPEpsilon(epsilon: epsilon, order: alpha)
                first = false
            }
        }
        best.epsilon = max(0, best.epsilon)
        return best
    }
}
