import CustosCore

/// What a release spends, or what a budget allows, in (ε, δ) under basic composition — exact rationals so that
/// sums such as 0.1 + 0.2 + 0.7 fill a budget of 1 exactly instead of overflowing it by a rounding error.
public struct PrivacyCost: Sendable, Hashable, Codable {
    /// ε.
    public var epsilon: Rational
    /// δ.
    public var delta: Rational

    /// (ε, δ); δ must be below 1.
    public init(epsilon: Rational, delta: Rational = .zero) throws {
        guard delta < .one else { throw CustosError(.invalidInput, "delta must be below 1, got \(delta)") }
        self.epsilon = epsilon
        self.delta = delta
    }

    /// Nothing spent.
    public static let zero = PrivacyCost(unchecked: .zero, .zero)

    init(unchecked epsilon: Rational, _ delta: Rational) {
        self.epsilon = epsilon
        self.delta = delta
    }

    /// Basic composition: ε's and δ's add.
    public static func + (lhs: PrivacyCost, rhs: PrivacyCost) -> PrivacyCost {
        PrivacyCost(unchecked: lhs.epsilon + rhs.epsilon, lhs.delta + rhs.delta)
    }

    /// Whether both parts are within `limit`.
    public func fits(within limit: PrivacyCost) -> Bool {
        epsilon <= limit.epsilon && delta <= limit.delta
    }

    /// What is left of `limit` after this (each part floored at 0).
    public func remaining(of limit: PrivacyCost) -> PrivacyCost {
        PrivacyCost(unchecked: limit.epsilon.subtracting(epsilon) ?? .zero, limit.delta.subtracting(delta) ?? .zero)
    }
}
