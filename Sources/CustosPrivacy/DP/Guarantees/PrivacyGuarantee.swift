import CustosCore
import Foundation

/// The privacy a mechanism provides, stated by the mechanism itself (OpenDP style) so that accounting cannot
/// be forgotten. JSON: `{"kind": "pure_dp", "epsilon": …}`, `{"kind": "approximate_dp", "epsilon": …,
/// "delta": …}` or `{"kind": "zcdp", "rho": …}`.
public enum PrivacyGuarantee: Sendable, Hashable, Codable, CustomStringConvertible {
    /// ε-differential privacy.
    case pureDP(epsilon: Double)
    /// (ε, δ)-differential privacy.
    case approximateDP(epsilon: Double, delta: Double)
    /// ρ-zero-concentrated differential privacy (Bun & Steinke 2016).
    case zeroConcentratedDP(rho: Double)

    /// The ε of an (ε, δ)-DP statement implied at `delta`: pure ε-DP holds at every δ; (ε, δ₀)-DP needs
    /// δ ≥ δ₀; ρ-zCDP converts with the exact CKS bound.
    public func epsilon(delta: Double) throws -> Double {
        switch self {
        case .pureDP(let epsilon):
            return epsilon
        case .approximateDP(let epsilon, let ownDelta):
            guard delta >= ownDelta else {
                throw CustosError(.invalidInput, "a (\(epsilon), \(ownDelta))-DP release gives no guarantee at delta \(delta) < \(ownDelta)")
            }
            return epsilon
        case .zeroConcentratedDP(let rho):
            return try ZeroConcentratedDP.epsilon(rho: rho, delta: delta)
        }
    }

    /// ρ for zCDP composition when one exists: ρ itself, or ε²/2 for pure ε-DP (Bun & Steinke 2016, Prop. 1.4);
    /// nil for (ε, δ)-DP, which implies no zCDP bound.
    public var rho: Double? {
        switch self {
        case .pureDP(let epsilon): return epsilon * epsilon / 2
        case .approximateDP: return nil
        case .zeroConcentratedDP(let rho): return rho
        }
    }

    /// `ε-DP`, `(ε, δ)-DP` or `ρ-zCDP`.
    public var description: String {
        switch self {
        case .pureDP(let epsilon): return "\(epsilon)-DP"
        case .approximateDP(let epsilon, let delta): return "(\(epsilon), \(delta))-DP"
        case .zeroConcentratedDP(let rho): return "\(rho)-zCDP"
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, epsilon, delta, rho }

    /// Decodes the `kind`-tagged JSON form.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "pure_dp": self = .pureDP(epsilon: try container.decode(Double.self, forKey: .epsilon))
        case "approximate_dp":
            self = .approximateDP(epsilon: try container.decode(Double.self, forKey: .epsilon),
                                  delta: try container.decode(Double.self, forKey: .delta))
        case "zcdp": self = .zeroConcentratedDP(rho: try container.decode(Double.self, forKey: .rho))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown guarantee kind '\(other)'")
        }
    }

    /// Encodes the `kind`-tagged JSON form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .pureDP(let epsilon):
            try container.encode("pure_dp", forKey: .kind)
            try container.encode(epsilon, forKey: .epsilon)
        case .approximateDP(let epsilon, let delta):
            try container.encode("approximate_dp", forKey: .kind)
            try container.encode(epsilon, forKey: .epsilon)
            try container.encode(delta, forKey: .delta)
        case .zeroConcentratedDP(let rho):
            try container.encode("zcdp", forKey: .kind)
            try container.encode(rho, forKey: .rho)
        }
    }
}
