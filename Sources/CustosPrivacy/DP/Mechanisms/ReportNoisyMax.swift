import BigInt
import CustosCore

/// Report-noisy-max over integer scores of sensitivity Δ (each score moves by at most Δ between neighbours):
/// add independent Lap_ℤ(2Δ/ε) noise to every score and report the index of the largest (the first on ties).
///
/// ε-DP: fixing the other noises, index i wins exactly when its noise is at least some threshold r*; on a
/// neighbouring input it still wins once its noise is at least r* + 2Δ, and the discrete Laplace tail satisfies
/// P[X ≥ m + 2Δ] ≥ e^(−2Δ/b)·P[X ≥ m] = e^(−ε)·P[X ≥ m] (Dwork & Roth 2014, Claim 3.9, with discrete noise).
public struct ReportNoisyMax: Sendable, Hashable {
    /// ε (exact, positive).
    public let epsilon: Rational
    /// The score sensitivity Δ ≥ 1.
    public let sensitivity: BigUInt
    /// The noise on each score: the discrete Laplace mechanism at ε/2, i.e. scale 2Δ/ε.
    public let noise: DiscreteLaplaceMechanism

    /// ε-DP argmax for scores of sensitivity Δ.
    public init(epsilon: Rational, sensitivity: BigUInt = 1) throws {
        try validateMechanism(epsilon: epsilon, sensitivity: sensitivity)
        self.epsilon = epsilon
        self.sensitivity = sensitivity
        noise = try DiscreteLaplaceMechanism(epsilon: try epsilon / (try Rational(2)), sensitivity: sensitivity)
    }

    /// ε-DP.
    public var guarantee: PrivacyGuarantee { .pureDP(epsilon: epsilon.doubleValue) }

    /// The index of the noisy maximum, from the operating system's secure source.
    public func select(scores: [BigInt]) throws -> Int {
        var generator = SystemRandomNumberGenerator()
        return try select(scores: scores, using: &generator)
    }

    /// The index of the noisy maximum using `generator`.
    public func select<G: RandomNumberGenerator>(scores: [BigInt], using generator: inout G) throws -> Int {
        guard !scores.isEmpty else { throw CustosError(.invalidInput, "report-noisy-max needs at least one score") }
        var bestIndex = 0
        var bestValue = BigInt(0)
        for (i, score) in scores.enumerated() {
            let noisy = noise.release(score, using: &generator)
            if i == 0 || noisy > bestValue {
                bestIndex = i
                bestValue = noisy
            }
        }
        return bestIndex
    }
}
