import BigInt
import CustosCore

/// The exponential mechanism (McSherry & Talwar 2007) over integer utilities with sensitivity Δ: candidate i
/// is chosen with probability ∝ exp(ε·uᵢ/(2Δ)), which is ε-DP.
///
/// Sampled exactly by rejection: propose a uniform candidate i and accept it with probability
/// exp(−ε(u_max − uᵢ)/(2Δ)) (an exact Bernoulli(exp(−γ)) with rational γ). The best candidate is always
/// accepted, so the expected number of proposals is at most the number of candidates.
public struct ExponentialMechanism: Sendable, Hashable {
    /// ε (exact, positive).
    public let epsilon: Rational
    /// The utility sensitivity Δ ≥ 1.
    public let sensitivity: BigUInt

    /// ε-DP selection for utilities of sensitivity Δ.
    public init(epsilon: Rational, sensitivity: BigUInt = 1) throws {
        try validateMechanism(epsilon: epsilon, sensitivity: sensitivity)
        self.epsilon = epsilon
        self.sensitivity = sensitivity
    }

    /// ε-DP.
    public var guarantee: PrivacyGuarantee { .pureDP(epsilon: epsilon.doubleValue) }

    /// The index of the chosen candidate, from the operating system's secure source.
    public func select(utilities: [BigInt]) throws -> Int {
        var generator = SystemRandomNumberGenerator()
        return try select(utilities: utilities, using: &generator)
    }

    /// The index of the chosen candidate using `generator`.
    public func select<G: RandomNumberGenerator>(utilities: [BigInt], using generator: inout G) throws -> Int {
        guard let best = utilities.max() else { throw CustosError(.invalidInput, "the exponential mechanism needs at least one candidate") }
        let denominator = epsilon.denominator * 2 * sensitivity
        while true {
            let i = Int.random(in: 0..<utilities.count, using: &generator)
            let gap = (best - utilities[i]).magnitude
            if ExactBernoulli.sampleExpMinus(numerator: epsilon.numerator * gap, denominator: denominator, using: &generator) {
                return i
            }
        }
    }
}
