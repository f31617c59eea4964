import CustosCore
import CustosPrivacy
import Foundation
import Testing

/// Analytic Gaussian and zCDP conversions against the dev vectors (mpmath-checked; see Tests/Fixtures/README.md).
@Suite("DP conversions: analytic Gaussian and zCDP")
struct ConversionTests {
    /// The tolerance for these closed-form conversions (relative).
    static let tolerance = 1e-9

    @Test("analytic Gaussian sigma(ε, δ, Δ) equals the vectors to 1e-9 relative")
    func analyticSigma() throws {
        let rows = try DPVectors.family("gaussian_analytic_sigma")
        #expect(!rows.isEmpty)
        for row in rows {
            let epsilon = try #require(DPVectors.number(row["epsilon"]))
            let delta = try #require(DPVectors.number(row["delta"]))
            let sensitivity = try #require(DPVectors.number(row["sensitivity"]))
            let expected = try #require(DPVectors.number(row["sigma_analytic"]))
            let sigma = try AnalyticGaussian.sigma(epsilon: epsilon, delta: delta, sensitivity: sensitivity)
            #expect(DPVectors.relativeError(sigma, expected) < Self.tolerance, "ε=\(epsilon) δ=\(delta) Δ=\(sensitivity): \(sigma) vs \(expected)")
        }
    }

    @Test("analytic Gaussian epsilon(σ, δ, Δ) equals the vectors to 1e-9 relative")
    func analyticEpsilon() throws {
        let rows = try DPVectors.family("gaussian_analytic_epsilon")
        #expect(!rows.isEmpty)
        for row in rows {
            let sigma = try #require(DPVectors.number(row["sigma"]))
            let delta = try #require(DPVectors.number(row["delta"]))
            let sensitivity = try #require(DPVectors.number(row["sensitivity"]))
            let expected = try #require(DPVectors.number(row["epsilon_analytic"]))
            let epsilon = try AnalyticGaussian.epsilon(sigma: sigma, delta: delta, sensitivity: sensitivity)
            #expect(DPVectors.relativeError(epsilon, expected) < Self.tolerance, "σ=\(sigma) δ=\(delta): \(epsilon) vs \(expected)")
            // Round trip: δ at that ε is the target.
            let back = try AnalyticGaussian.delta(epsilon: epsilon, sigma: sigma, sensitivity: sensitivity)
            #expect(DPVectors.relativeError(back, delta) < 1e-6)
        }
    }

    @Test("zCDP → (ε, δ) by the CKS conversion equals the vectors to 1e-9 relative")
    func zcdpEpsilon() throws {
        let rows = try DPVectors.family("zcdp_to_dp")
        #expect(!rows.isEmpty)
        for row in rows {
            let rho = try #require(DPVectors.number(row["rho"]))
            let delta = try #require(DPVectors.number(row["delta"]))
            let expected = try #require(DPVectors.number(row["epsilon_cks"]))
            let epsilon = try ZeroConcentratedDP.epsilon(rho: rho, delta: delta)
            #expect(DPVectors.relativeError(epsilon, expected) < Self.tolerance, "ρ=\(rho) δ=\(delta): \(epsilon) vs \(expected)")
            // Tighter than the simple bound ρ + 2√(ρ log(1/δ)) (Bun & Steinke 2016).
            #expect(epsilon < rho + 2 * (rho * log(1 / delta)).squareRoot())
            // And back: the largest ρ within (ε, δ) is the row's ρ, never converting above ε.
            let calibrated = try ZeroConcentratedDP.rho(epsilon: expected, delta: delta)
            #expect(DPVectors.relativeError(calibrated, rho) < Self.tolerance)
            #expect(try ZeroConcentratedDP.epsilon(rho: calibrated, delta: delta) <= expected)
        }
    }

    @Test("zCDP δ(ε) by the CKS conversion equals the vectors to 1e-9 relative, down to 1e-274")
    func zcdpDelta() throws {
        let rows = try DPVectors.family("zcdp_delta")
        #expect(!rows.isEmpty)
        for row in rows {
            let rho = try #require(DPVectors.number(row["rho"]))
            let epsilon = try #require(DPVectors.number(row["epsilon"]))
            let expected = try #require(DPVectors.number(row["delta_cks"]))
            let delta = try ZeroConcentratedDP.delta(rho: rho, epsilon: epsilon)
            #expect(DPVectors.relativeError(delta, expected) < Self.tolerance, "ρ=\(rho) ε=\(epsilon): \(delta) vs \(expected)")
        }
    }

    @Test("out-of-range ε, δ, σ and ρ are input errors")
    func badInput() {
        #expect(throws: CustosError.self) { try AnalyticGaussian.sigma(epsilon: 0, delta: 1e-5) }
        #expect(throws: CustosError.self) { try AnalyticGaussian.sigma(epsilon: 1, delta: 1) }
        #expect(throws: CustosError.self) { try AnalyticGaussian.epsilon(sigma: -1, delta: 1e-5) }
        #expect(throws: CustosError.self) { try ZeroConcentratedDP.epsilon(rho: -0.1, delta: 1e-5) }
        #expect(throws: CustosError.self) { try ZeroConcentratedDP.epsilon(rho: 0.1, delta: 0) }
        #expect(throws: CustosError.self) { try ZeroConcentratedDP.delta(rho: 0.1, epsilon: -1) }
    }
}

@Suite("DP composition")
struct CompositionTests {
    @Test("basic composition adds ε and δ")
    func basic() throws {
        let total = try Composition.basic([(0.5, 1e-6), (1.0, 0), (0.25, 2e-6)])
        #expect(total.epsilon == 1.75)
        #expect(abs(total.delta - 3e-6) < 1e-20)
    }

    @Test("advanced composition: ε√(2k ln(1/δ′)) + kε(e^ε − 1), δ = kδ + δ′")
    func advanced() throws {
        // k = 100, ε = 0.1, δ′ = 1e-6: 0.1·√(200·ln 1e6) + 100·0.1·(e^0.1 − 1) = 5.2565… + 1.0517… (hand-checked).
        let total = try Composition.advanced(epsilon: 0.1, delta: 1e-7, count: 100, slack: 1e-6)
        let expected = 0.1 * (200 * log(1e6)).squareRoot() + 10 * (exp(0.1) - 1)
        #expect(abs(total.epsilon - expected) < 1e-12)
        #expect(abs(total.epsilon - 6.3082) < 1e-3)
        #expect(abs(total.delta - 1.1e-5) < 1e-18)
        // Beats basic composition (ε = 10) here.
        #expect(total.epsilon < 10)
    }

    @Test("negative ε, δ ≥ 1 and bad slack are input errors")
    func badInput() {
        #expect(throws: CustosError.self) { try Composition.basic([(-1, 0)]) }
        #expect(throws: CustosError.self) { try Composition.basic([(1, 1)]) }
        #expect(throws: CustosError.self) { try Composition.advanced(epsilon: 1, delta: 0, count: 2, slack: 0) }
    }
}
