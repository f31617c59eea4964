import CustosCore
import Foundation

/// k-ary randomized response (Warner 1965; k-RR): report the true category with probability e^ε/(e^ε + k − 1),
/// each other one with probability 1/(e^ε + k − 1). ε-DP (local).
///
/// Sampled exactly by rejection: propose a uniform category; keep it if it is the truth, otherwise keep it with
/// probability e^(−ε) (an exact Bernoulli(exp(−ε))). The kept category has probability ∝ e^(ε·[y = truth]).
public struct RandomizedResponse: Sendable, Hashable {
    /// ε (exact, positive).
    public let epsilon: Rational
    /// The number of categories k ≥ 2.
    public let categories: Int

    /// k-RR with ε > 0 over `categories` ≥ 2 answers.
    public init(epsilon: Rational, categories: Int = 2) throws {
        guard !epsilon.isZero else { throw CustosError(.invalidInput, "epsilon must be positive") }
        guard categories >= 2 else { throw CustosError(.invalidInput, "randomized response needs at least 2 categories, got \(categories)") }
        self.epsilon = epsilon
        self.categories = categories
    }

    /// ε-DP.
    public var guarantee: PrivacyGuarantee { .pureDP(epsilon: epsilon.doubleValue) }

    /// The probability of reporting the truth, e^ε/(e^ε + k − 1) (for reports and debiasing).
    public var truthProbability: Double {
        let e = epsilon.doubleValue
        return 1 / (1 + Double(categories - 1) * exp(-e))
    }

    /// A randomized report of `truth` ∈ 0..<k, from the operating system's secure source.
    public func respond(truth: Int) throws -> Int {
        var generator = SystemRandomNumberGenerator()
        return try respond(truth: truth, using: &generator)
    }

    /// A randomized report of `truth` ∈ 0..<k using `generator`.
    public func respond<G: RandomNumberGenerator>(truth: Int, using generator: inout G) throws -> Int {
        guard (0..<categories).contains(truth) else {
            throw CustosError(.invalidInput, "the true category \(truth) is outside 0..<\(categories)")
        }
        while true {
            let proposal = Int.random(in: 0..<categories, using: &generator)
            if proposal == truth || ExactBernoulli.sampleExpMinus(epsilon, using: &generator) { return proposal }
        }
    }
}
