import BigInt
import CustosCore
import CustosPrivacy
import Foundation
import Testing

@Suite("DP mechanisms: guarantees, calibration and output distributions")
struct MechanismTests {
    @Test("discrete Laplace scale is Δ/ε (the vectors' laplace_scale) and the guarantee is ε-DP")
    func laplaceScale() throws {
        for row in try DPVectors.family("laplace_scale") {
            let sensitivity = try #require(row["sensitivity"] as? Int)
            let epsilon = try #require(DPVectors.number(row["epsilon"]))
            let expected = try #require(DPVectors.number(row["scale_b"]))
            let mechanism = try DiscreteLaplaceMechanism(epsilon: Rational(parsing: "\(epsilon)"), sensitivity: BigUInt(sensitivity))
            #expect(abs(mechanism.scale.doubleValue - expected) <= 1e-15 * expected)
            #expect(mechanism.guarantee == .pureDP(epsilon: epsilon))
        }
        let geometric: GeometricMechanism = try DiscreteLaplaceMechanism(epsilon: Rational(parsing: "1/2"), sensitivity: 3)
        #expect(geometric.scale == (try Rational(6)))
    }

    @Test("discrete Gaussian calibrated to ρ has σ² = Δ²/(2ρ) and states ρ-zCDP, convertible to (ε, δ)")
    func gaussianGuarantee() throws {
        let mechanism = try DiscreteGaussianMechanism(rho: Rational(parsing: "0.01"), sensitivity: 2)
        #expect(mechanism.sampler.variance == (try Rational(200)))
        #expect(abs(mechanism.rho - 0.01) < 1e-18)
        #expect(mechanism.guarantee == .zeroConcentratedDP(rho: mechanism.rho))
        let epsilon = try mechanism.guarantee.epsilon(delta: 1e-5)
        #expect(abs(epsilon - 0.5457255482740024) < 1e-12)  // the vectors' zcdp_to_dp row for ρ = 0.01
    }

    @Test("guarantees encode as kind-tagged snake_case JSON and decode back")
    func guaranteeJSON() throws {
        let all: [PrivacyGuarantee] = [.pureDP(epsilon: 1), .approximateDP(epsilon: 1, delta: 1e-6), .zeroConcentratedDP(rho: 0.5)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(all), as: UTF8.self)
        #expect(text == #"[{"epsilon":1,"kind":"pure_dp"},{"delta":1e-06,"epsilon":1,"kind":"approximate_dp"},{"kind":"zcdp","rho":0.5}]"#)
        #expect(try JSONDecoder().decode([PrivacyGuarantee].self, from: Data(text.utf8)) == all)
        #expect(throws: CustosError.self) { try PrivacyGuarantee.approximateDP(epsilon: 1, delta: 1e-5).epsilon(delta: 1e-6) }
    }

    @Test("granularity snaps half up for every sign and ⌈Δ/g⌉ bounds the snapped sensitivity")
    func granularity() throws {
        let grid = try Granularity(Rational(parsing: "0.5"))
        #expect(try grid.index(of: 0.25) == 1)  // 0.5 → up
        #expect(try grid.index(of: -0.25) == 0)  // −0.5 → up
        #expect(try grid.index(of: -0.26) == -1)
        #expect(try grid.index(of: 3.0) == 6)
        #expect(grid.value(at: -7) == -3.5)
        #expect(throws: CustosError.self) { try grid.index(of: .nan) }
        // Adversarial pairs at rounding ties: |x − x′| = Δ must never move the index by more than ⌈Δ/g⌉.
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let g = Double(Int.random(in: 1...8, using: &rng)) / 4
            let grid = try Granularity(Rational(exactly: g))
            let delta = Double(Int.random(in: 1...12, using: &rng)) / 8
            let x = Double(Int.random(in: -64...64, using: &rng)) / 8
            let bound = try grid.integerSensitivity(Rational(exactly: delta))
            for y in [x - delta, x + delta] {
                let move = (try grid.index(of: x) - grid.index(of: y)).magnitude
                #expect(move <= bound, "g=\(g) Δ=\(delta) x=\(x) y=\(y)")
            }
        }
    }

    @Test("a real-valued discrete Laplace release lands on the grid and is unbiased")
    func granularRelease() throws {
        let release = try DiscreteLaplaceMechanism.realValued(
            epsilon: Rational(parsing: "1"), sensitivity: Rational(parsing: "1"), granularity: Granularity(Rational(parsing: "1/8")))
        #expect(release.mechanism.sensitivity == 8)
        #expect(release.guarantee == .pureDP(epsilon: 1))
        var sum = 0.0
        for _ in 0..<2_000 {
            let value = try release.release(10.3)
            #expect((value * 8).rounded() == value * 8)
            sum += value
        }
        // 10.3 snaps to 10.25; the noise has sd √2/1 ≈ 1.41, so the mean of 2,000 has sd 0.032.
        #expect(abs(sum / 2_000 - 10.25) < 0.25)
    }

    @Test("randomized response reports each category with e^(ε·[y = truth]) / (e^ε + k − 1) (chi-square, 100,000 draws)")
    func randomizedResponse() throws {
        let rr = try RandomizedResponse(epsilon: Rational(parsing: "1"), categories: 4)
        var rng = SystemRandomNumberGenerator()
        let draws = try (0..<SamplerTests.draws).map { _ in try rr.respond(truth: 2, using: &rng) }
        let other = (1 - rr.truthProbability) / 3
        let fit = GoodnessOfFit(draws: draws, center: 2) { y in (0..<4).contains(y) ? (y == 2 ? rr.truthProbability : other) : 0 }
        #expect(fit.bins == 4)
        #expect(fit.pValue >= GoodnessOfFit.threshold, "χ²=\(fit.statistic) p=\(fit.pValue)")
        #expect(throws: CustosError.self) { try rr.respond(truth: 4) }
    }

    @Test("the exponential mechanism picks i with probability ∝ exp(ε·uᵢ/(2Δ)) (chi-square, 100,000 draws)")
    func exponentialMechanism() throws {
        let mechanism = try ExponentialMechanism(epsilon: Rational(parsing: "1"), sensitivity: 1)
        let utilities: [BigInt] = [0, 2, 5, -3]
        let weights = utilities.map { exp(Double($0) / 2) }
        let total = weights.reduce(0, +)
        var rng = SystemRandomNumberGenerator()
        let draws = try (0..<SamplerTests.draws).map { _ in try mechanism.select(utilities: utilities, using: &rng) }
        let fit = GoodnessOfFit(draws: draws, center: 2) { i in (0..<4).contains(i) ? weights[i] / total : 0 }
        #expect(fit.pValue >= GoodnessOfFit.threshold, "χ²=\(fit.statistic) p=\(fit.pValue)")
        #expect(throws: CustosError.self) { try mechanism.select(utilities: []) }
    }

    @Test("report-noisy-max finds a clear winner and states ε-DP")
    func reportNoisyMax() throws {
        let mechanism = try ReportNoisyMax(epsilon: Rational(parsing: "1"), sensitivity: 1)
        #expect(mechanism.noise.scale == (try Rational(2)))
        #expect(mechanism.guarantee == .pureDP(epsilon: 1))
        for _ in 0..<100 { #expect(try mechanism.select(scores: [0, 1_000, 3]) == 1) }
    }

    @Test("non-positive ε, zero sensitivity and fewer than two categories are input errors")
    func badInput() {
        #expect(throws: CustosError.self) { try DiscreteLaplaceMechanism(epsilon: .zero) }
        #expect(throws: CustosError.self) { try DiscreteLaplaceMechanism(epsilon: .one, sensitivity: 0) }
        #expect(throws: CustosError.self) { try DiscreteGaussianMechanism(rho: .zero) }
        #expect(throws: CustosError.self) { try RandomizedResponse(epsilon: .one, categories: 1) }
        #expect(throws: CustosError.self) { try Granularity(.zero) }
    }
}
