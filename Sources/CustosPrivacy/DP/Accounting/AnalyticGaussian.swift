import CustosCore
import Foundation

/// The analytic Gaussian mechanism (Balle & Wang 2018, Theorem 8): adding N(0, σ²) to a function of L2
/// sensitivity Δ is (ε, δ)-DP exactly when
///
///     δ ≥ Φ(Δ/(2σ) − εσ/Δ) − e^ε · Φ(−Δ/(2σ) − εσ/Δ).
///
/// The right side decreases in both σ and ε, so the smallest σ (or ε) is found by bisection to the
/// resolution of `Double`.
public enum AnalyticGaussian {
    /// The smallest δ for which N(0, σ²) noise on a sensitivity-Δ function is (ε, δ)-DP.
    public static func delta(epsilon: Double, sigma: Double, sensitivity: Double = 1) throws -> Double {
        try validate(epsilon: epsilon, sigma: sigma, sensitivity: sensitivity)
        return unvalidatedDelta(epsilon: epsilon, sigma: sigma, sensitivity: sensitivity)
    }

    /// The smallest σ for which the mechanism is (ε, δ)-DP.
    public static func sigma(epsilon: Double, delta: Double, sensitivity: Double = 1) throws -> Double {
        guard epsilon.isFinite, epsilon > 0 else { throw CustosError(.invalidInput, "epsilon must be positive and finite, got \(epsilon)") }
        try validate(delta: delta)
        guard sensitivity.isFinite, sensitivity > 0 else { throw CustosError(.invalidInput, "sensitivity must be positive, got \(sensitivity)") }
        // In units of Δ: σ = Δ · s where s solves δ(ε, s, 1) = δ.
        let excess = { (s: Double) in delta - unvalidatedDelta(epsilon: epsilon, sigma: s, sensitivity: 1) }
        var low = 1.0
        while excess(low) >= 0 { low /= 2 }
        guard let high = Bisection.upperBracket(start: max(1, low * 2), excess) else {
            throw CustosError(.invalidInput, "no finite sigma gives (\(epsilon), \(delta))-DP")
        }
        return sensitivity * Bisection.root(low: low, high: high, excess)
    }

    /// The smallest ε for which N(0, σ²) noise on a sensitivity-Δ function is (ε, δ)-DP.
    public static func epsilon(sigma: Double, delta: Double, sensitivity: Double = 1) throws -> Double {
        try validate(epsilon: 0, sigma: sigma, sensitivity: sensitivity)
        try validate(delta: delta)
        let excess = { (e: Double) in delta - unvalidatedDelta(epsilon: e, sigma: sigma, sensitivity: sensitivity) }
        if excess(0) >= 0 { return 0 }
        guard let high = Bisection.upperBracket(start: 1, excess) else {
            throw CustosError(.invalidInput, "no finite epsilon gives delta \(delta) at sigma \(sigma)")
        }
        return Bisection.root(low: 0, high: high, excess)
    }

    /// Balle & Wang's δ(ε) without argument checks.
    static func unvalidatedDelta(epsilon: Double, sigma: Double, sensitivity: Double) -> Double {
        let a = sensitivity / (2 * sigma)
        let b = epsilon * sigma / sensitivity
        return NormalDistribution.cdf(a - b) - exp(epsilon) * NormalDistribution.cdf(-a - b)
    }

    private static func validate(epsilon: Double, sigma: Double, sensitivity: Double) throws {
        guard epsilon.isFinite, epsilon >= 0 else { throw CustosError(.invalidInput, "epsilon must be non-negative and finite, got \(epsilon)") }
        guard sigma.isFinite, sigma > 0 else { throw CustosError(.invalidInput, "sigma must be positive and finite, got \(sigma)") }
        guard sensitivity.isFinite, sensitivity > 0 else { throw CustosError(.invalidInput, "sensitivity must be positive, got \(sensitivity)") }
    }

    private static func validate(delta: Double) throws {
        guard delta > 0, delta < 1 else { throw CustosError(.invalidInput, "delta must be in (0, 1), got \(delta)") }
    }
}
