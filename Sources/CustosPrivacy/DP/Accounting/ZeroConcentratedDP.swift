import CustosCore
import Foundation

/// Zero-concentrated DP (Bun & Steinke 2016): ρ-zCDP composes by adding ρ; conversion to (ε, δ) uses the exact
/// bound of Canonne, Kamath & Steinke 2020 (Corollary 13, from Proposition 12), minimised over every real
/// order α > 1 rather than a grid.
public enum ZeroConcentratedDP {
    /// The smallest ε with ρ-zCDP ⇒ (ε, δ)-DP:
    /// ε = inf_{α>1} αρ + log(1 − 1/α) − (log δ + log α)/(α − 1).
    ///
    /// The derivative in α is ρ + (log δ + log α)/(α − 1)², which is negative until the unique root of
    /// ρ(α − 1)² + log α + log δ = 0 (increasing in α), found by bisection.
    public static func epsilon(rho: Double, delta: Double) throws -> Double {
        try validate(rho: rho)
        guard delta > 0, delta < 1 else { throw CustosError(.invalidInput, "delta must be in (0, 1), got \(delta)") }
        if rho == 0 { return 0 }
        let logDelta = log(delta)
        let slope = { (alpha: Double) in rho * (alpha - 1) * (alpha - 1) + log(alpha) + logDelta }
        guard let high = Bisection.upperBracket(start: 2, slope) else {
            throw CustosError(.invalidInput, "no order minimises the zCDP conversion for rho \(rho), delta \(delta)")
        }
        let alpha = Bisection.root(low: 1, high: high, slope)
        return max(0, alpha * rho + log1p(-1 / alpha) - (logDelta + log(alpha)) / (alpha - 1))
    }

    /// The smallest δ with ρ-zCDP ⇒ (ε, δ)-DP:
    /// δ = inf_{α>1} exp((α − 1)(αρ − ε)) / (α − 1) · (1 − 1/α)^α.
    ///
    /// The log of the bound is convex in α with derivative 2αρ − ρ − ε + log(1 − 1/α), whose root is found by
    /// bisection.
    public static func delta(rho: Double, epsilon: Double) throws -> Double {
        try validate(rho: rho)
        guard epsilon.isFinite, epsilon >= 0 else { throw CustosError(.invalidInput, "epsilon must be non-negative and finite, got \(epsilon)") }
        if rho == 0 { return 0 }
        let slope = { (alpha: Double) in 2 * alpha * rho - rho - epsilon + log1p(-1 / alpha) }
        guard let high = Bisection.upperBracket(start: 2, slope) else {
            throw CustosError(.invalidInput, "no order minimises the zCDP conversion for rho \(rho), epsilon \(epsilon)")
        }
        let alpha = Bisection.root(low: 1, high: high, slope)
        let logDelta = (alpha - 1) * (alpha * rho - epsilon) - log(alpha - 1) + alpha * log1p(-1 / alpha)
        return min(1, exp(logDelta))
    }

    /// The largest ρ whose conversion at δ is at most ε: the zCDP budget that gives (ε, δ)-DP. Found by bisection
    /// on the increasing map ρ ↦ ε(ρ, δ), then stepped down until the conversion is within ε.
    public static func rho(epsilon: Double, delta: Double) throws -> Double {
        guard epsilon.isFinite, epsilon > 0 else { throw CustosError(.invalidInput, "epsilon must be positive and finite, got \(epsilon)") }
        let excess = { (rho: Double) -> Double in ((try? Self.epsilon(rho: rho, delta: delta)) ?? .infinity) - epsilon }
        _ = try Self.epsilon(rho: epsilon, delta: delta)  // validates δ
        guard let high = Bisection.upperBracket(start: epsilon, excess) else {
            throw CustosError(.invalidInput, "no rho reaches epsilon \(epsilon) at delta \(delta)")
        }
        var rho = Bisection.root(low: 0, high: high, excess)
        while rho > 0 && excess(rho) > 0 { rho = rho.nextDown }
        return rho
    }

    private static func validate(rho: Double) throws {
        guard rho.isFinite, rho >= 0 else { throw CustosError(.invalidInput, "rho must be non-negative and finite, got \(rho)") }
    }
}
