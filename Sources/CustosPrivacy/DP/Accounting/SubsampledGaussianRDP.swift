import CustosCore
import Foundation

/// Rényi DP of the Poisson-subsampled Gaussian mechanism under add/remove-one neighbours
/// (Mironov, Talwar & Zhang 2019): with sampling rate q and noise multiplier σ (noise standard deviation over
/// L2 sensitivity), ε(α) = log(A_α) / (α − 1), where
///
///     A_α = E_{z ~ N(0, σ²)} [ (1 − q + q · exp((2z − 1) / (2σ²)))^α ].
///
/// Integer orders use the finite binomial expansion exactly as dp_accounting 0.6 does. Fractional orders
/// integrate A_α numerically (composite 16-point Gauss–Legendre) instead of using dp_accounting's series, which
/// drops the alternating signs of its terms and overstates ε (or diverges to ∞).
public struct SubsampledGaussianRDP: RenyiDPCurve, Hashable, Codable {
    /// The Poisson sampling rate q ∈ [0, 1].
    public let samplingRate: Double
    /// σ: the noise standard deviation divided by the L2 sensitivity (≥ 0).
    public let noiseMultiplier: Double

    /// Validates q ∈ [0, 1] and σ ≥ 0 (both finite).
    public init(samplingRate: Double, noiseMultiplier: Double) throws {
        guard samplingRate.isFinite, samplingRate >= 0, samplingRate <= 1 else {
            throw CustosError(.invalidInput, "the sampling rate q must be in [0, 1], got \(samplingRate)")
        }
        guard noiseMultiplier.isFinite, noiseMultiplier >= 0 else {
            throw CustosError(.invalidInput, "the noise multiplier sigma must be finite and non-negative, got \(noiseMultiplier)")
        }
        self.samplingRate = samplingRate
        self.noiseMultiplier = noiseMultiplier
    }

    /// ε(α) for one application, for an order α > 1 (∞ without noise, 0 without sampling).
    public func rdp(order alpha: Double) -> Double {
        let q = samplingRate
        let sigma = noiseMultiplier
        if q == 0 { return 0 }
        if alpha.isInfinite || sigma == 0 { return .infinity }
        if q == 1 { return alpha / (2 * sigma * sigma) }
        if alpha.rounded() == alpha, alpha <= 1e6 {
            return Self.logAInteger(q: q, sigma: sigma, alpha: Int(alpha)) / (alpha - 1)
        }
        return Self.logAFractional(q: q, sigma: sigma, alpha: alpha) / (alpha - 1)
    }

    /// log A_α for integer α: log Σᵢ C(α, i) qⁱ (1 − q)^(α−i) exp((i² − i) / (2σ²)), summed in log space in
    /// dp_accounting's order so both agree to rounding.
    static func logAInteger(q: Double, sigma: Double, alpha: Int) -> Double {
        var logA = -Double.infinity
        let logQ = log(q)
        let log1mq = log1p(-q)
        for i in 0...alpha {
            let di = Double(i)
            let coefficient = LogSpace.binomial(Double(alpha), di) + di * logQ + Double(alpha - i) * log1mq
            logA = LogSpace.add(logA, coefficient + (di * di - di) / (2 * sigma * sigma))
        }
        return logA
    }

    /// Bounds on the number of quadrature subintervals: at least enough to resolve the integrand's features
    /// (width ~min(σ, σ²)), at most a fixed cost per order.
    static let maximumPieces = 8_192

    /// log A_α for any α > 1 by quadrature over z.
    ///
    /// log of the integrand is l(z) = log φ_σ(z) + α·L(z), L(z) = log(1 − q + q·e^(c(z))), c(z) = (2z − 1)/(2σ²).
    /// l increases on (−∞, 0] at least as fast as the Gaussian and decreases on [α, ∞) at least as fast, so
    /// [−14σ, max(α, 1) + 14σ] holds all but e^(−98) of the mass. When A_α ≤ e the integral is taken of
    /// A_α − 1 = E[expm1(α·L(z))], so a tiny ε(α) keeps its relative accuracy; larger ones are summed in
    /// log space so nothing overflows.
    static func logAFractional(q: Double, sigma: Double, alpha: Double) -> Double {
        let sigma2 = sigma * sigma
        let logQ = log(q)
        let log1mq = log1p(-q)
        let logNormalizer = -log(sigma) - 0.5 * log(2 * Double.pi)
        func bigL(_ z: Double) -> Double {
            let c = (2 * z - 1) / (2 * sigma2)
            if c <= 30 { return log1p(q * expm1(c)) }
            return LogSpace.add(log1mq, logQ + c)
        }
        func logPhi(_ z: Double) -> Double { logNormalizer - z * z / (2 * sigma2) }
        let low = -14 * sigma
        let high = max(alpha, 1) + 14 * sigma
        let width = min(sigma, sigma2)
        let pieces = min(maximumPieces, max(16, Int(((high - low) / width).rounded(.up))))
        let rule = GaussLegendre.sixteen
        // Small A_α: integrate A_α − 1 directly.
        func logAFromExcess() -> Double {
            let aMinusOne = rule.integrate(from: low, to: high, pieces: pieces) { z in
                let exponent = alpha * bigL(z)
                if exponent > 700 { return exp(logPhi(z) + exponent) - exp(logPhi(z)) }
                return exp(logPhi(z)) * expm1(exponent)
            }
            return log1p(aMinusOne)
        }
        // A_α is a moment generating function in α, so log A_α is convex: interpolating the integer orders
        // around α bounds it from above. When that bound is at most 1 the log-space pass is not needed.
        let below = alpha.rounded(.down)
        let t = alpha - below
        let bound = (1 - t) * logAInteger(q: q, sigma: sigma, alpha: Int(below))
            + t * logAInteger(q: q, sigma: sigma, alpha: Int(below) + 1)
        if bound <= 1 { return logAFromExcess() }
        // Log-space pass: log A_α = log Σ wᵢ e^(l(zᵢ)).
        var terms: [Double] = []
        terms.reserveCapacity(pieces * rule.nodes.count)
        let pieceWidth = (high - low) / Double(pieces)
        for piece in 0..<pieces {
            let mid = low + (Double(piece) + 0.5) * pieceWidth
            for (x, w) in zip(rule.nodes, rule.weights) {
                let z = mid + x * pieceWidth / 2
                terms.append(log(w * pieceWidth / 2) + logPhi(z) + alpha * bigL(z))
            }
        }
        let peak = terms.max() ?? -.infinity
        let logA = peak + log(terms.reduce(0) { $0 + exp($1 - peak) })
        return logA > 1 ? logA : logAFromExcess()
    }
}
