import CustosCore
import Foundation

/// Composition theorems for (ε, δ)-DP.
public enum Composition {
    /// Basic composition (Dwork & Roth 2014, Theorem 3.16): the ε's and δ's add.
    public static func basic(_ parts: [(epsilon: Double, delta: Double)]) throws -> (epsilon: Double, delta: Double) {
        var epsilon = 0.0
        var delta = 0.0
        for part in parts {
            try validate(epsilon: part.epsilon, delta: part.delta)
            epsilon += part.epsilon
            delta += part.delta
        }
        return (epsilon, min(1, delta))
    }

    /// Advanced composition (Dwork, Rothblum & Vadhan 2010; Dwork & Roth 2014, Theorem 3.20): k mechanisms,
    /// each (ε, δ)-DP, are (ε′, kδ + δ′)-DP with ε′ = ε·√(2k·ln(1/δ′)) + kε(e^ε − 1).
    public static func advanced(
        epsilon: Double, delta: Double, count k: Int, slack deltaPrime: Double
    ) throws -> (epsilon: Double, delta: Double) {
        try validate(epsilon: epsilon, delta: delta)
        guard k >= 0 else { throw CustosError(.invalidInput, "the number of compositions must be non-negative, got \(k)") }
        guard deltaPrime > 0, deltaPrime < 1 else { throw CustosError(.invalidInput, "the slack delta' must be in (0, 1), got \(deltaPrime)") }
        let n = Double(k)
        let total = epsilon * (2 * n * log(1 / deltaPrime)).squareRoot() + n * epsilon * expm1(epsilon)
        return (total, min(1, n * delta + deltaPrime))
    }

    private static func validate(epsilon: Double, delta: Double) throws {
        guard epsilon.isFinite, epsilon >= 0 else { throw CustosError(.invalidInput, "epsilon must be non-negative and finite, got \(epsilon)") }
        guard delta >= 0, delta < 1 else { throw CustosError(.invalidInput, "delta must be in [0, 1), got \(delta)") }
    }
}
