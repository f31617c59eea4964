import BigInt
import CustosPrivacy
import Foundation
import Testing

/// Goodness of fit of the exact samplers against their exact pmfs, drawing from the production sources
/// (`SystemRandomNumberGenerator`, getrandom on Linux, and the buffered `SecureRandomSource`). See `GoodnessOfFit` for the test and its error budget:
/// each test below fails a correct sampler with probability ≤ 1e-7, the suite with ≤ 1e-6.
@Suite("DP samplers: exact distributions")
struct SamplerTests {
    /// Draws per goodness-of-fit test: enough to detect a 5% error in the scale (checked below) in about a second.
    static let draws = 100_000

    func draws<S>(_ count: Int, _ sample: () -> S) -> [Int] where S: BinaryInteger {
        (0..<count).map { _ in Int(sample()) }
    }

    @Test("discrete Laplace matches its pmf (chi-square, 100,000 draws) at scales 0.5, 3 and 7/3",
          arguments: ["0.5", "3", "7/3"])
    func discreteLaplace(scale: String) throws {
        let sampler = try DiscreteLaplaceSampler(scale: Rational(parsing: scale))
        var rng = SystemRandomNumberGenerator()
        let xs = draws(Self.draws) { sampler.sample(using: &rng) }
        let fit = GoodnessOfFit(draws: xs, pmf: sampler.probability(of:))
        #expect(fit.pValue >= GoodnessOfFit.threshold, "χ²=\(fit.statistic), df=\(fit.degreesOfFreedom), p=\(fit.pValue)")
    }

    @Test("discrete Gaussian matches its pmf (chi-square, 100,000 draws) at sigma 0.8, 2.5 and 10",
          arguments: ["0.8", "2.5", "10"])
    func discreteGaussian(sigma: String) throws {
        let sampler = try DiscreteGaussianSampler(sigma: Rational(parsing: sigma))
        var rng = SecureRandomSource()  // the source `custos dp sample` uses
        let xs = draws(Self.draws) { sampler.sample(using: &rng) }
        let fit = GoodnessOfFit(draws: xs, pmf: sampler.probability(of:))
        #expect(fit.pValue >= GoodnessOfFit.threshold, "χ²=\(fit.statistic), df=\(fit.degreesOfFreedom), p=\(fit.pValue)")
    }

    @Test("Bernoulli(exp(−γ)) has mean exp(−γ) (chi-square on two bins, 100,000 draws) for γ = 1/3, 1 and 5/2")
    func bernoulliExpMinus() throws {
        var rng = SystemRandomNumberGenerator()
        // One test over three γ's at once: the statistic sums three independent χ²(1) values, so df = 3.
        var chi2 = 0.0
        for gamma in ["1/3", "1", "5/2"] {
            let g = try Rational(parsing: gamma)
            let p = exp(-g.doubleValue)
            var ones = 0.0
            for _ in 0..<Self.draws where ExactBernoulli.sampleExpMinus(g, using: &rng) { ones += 1 }
            let n = Double(Self.draws)
            chi2 += (ones - n * p) * (ones - n * p) / (n * p) + (ones - n * p) * (ones - n * p) / (n * (1 - p))
        }
        let pValue = GoodnessOfFit.chiSquareUpperTail(chi2, degreesOfFreedom: 3)
        #expect(pValue >= GoodnessOfFit.threshold, "χ²=\(chi2), p=\(pValue)")
    }

    @Test("the reference pmfs sum to 1 (discrete Gaussian by direct sum below σ = 1, Poisson summation above)")
    func pmfsNormalized() throws {
        for sigma in ["0.3", "0.8", "1", "2.5", "10"] {
            let gaussian = try DiscreteGaussianSampler(sigma: Rational(parsing: sigma))
            let total = (-400...400).reduce(0.0) { $0 + gaussian.probability(of: $1) }
            #expect(abs(total - 1) < 1e-12, "σ=\(sigma): \(total)")
        }
        let laplace = try DiscreteLaplaceSampler(scale: Rational(parsing: "7/3"))
        #expect(abs((-400...400).reduce(0.0) { $0 + laplace.probability(of: $1) } - 1) < 1e-12)
    }

    @Test("the goodness-of-fit test has power: draws with scale 3.3 are rejected against the scale-3 pmf")
    func testHasPower() throws {
        let wrong = try DiscreteLaplaceSampler(scale: Rational(parsing: "3.3"))
        let claimed = try DiscreteLaplaceSampler(scale: Rational(parsing: "3"))
        var rng = SystemRandomNumberGenerator()
        let xs = draws(Self.draws) { wrong.sample(using: &rng) }
        let fit = GoodnessOfFit(draws: xs, pmf: claimed.probability(of:))
        #expect(fit.pValue < GoodnessOfFit.threshold, "p=\(fit.pValue)")
    }

    @Test("huge parameters take the arbitrary-precision path and still give plausible draws")
    func arbitraryPrecision() throws {
        // σ = 10^12: σ² does not fit the 64-bit path's products.
        let sampler = try DiscreteGaussianSampler(sigma: Rational(parsing: "1e12"))
        var rng = SystemRandomNumberGenerator()
        let xs = (0..<200).map { _ in Double(sampler.sample(using: &rng)) / 1e12 }
        let mean = xs.reduce(0, +) / 200
        let variance = xs.map { $0 * $0 }.reduce(0, +) / 200
        #expect(abs(mean) < 0.5)  // 200 draws: sd of the mean is 0.07
        #expect(variance > 0.5 && variance < 1.6)
    }
}

@Suite("SecureRandomSource: buffered OS randomness")
struct SecureRandomSourceTests {
    @Test("its bytes are uniform (chi-square over 256 values, 1 MiB) and blocks never repeat")
    func uniformBytes() {
        let source = SecureRandomSource()
        var counts = [Int](repeating: 0, count: 256)
        var words: [UInt64] = []
        for _ in 0..<(1 << 17) {
            let word = source.next()
            words.append(word)
            for shift in stride(from: 0, to: 64, by: 8) { counts[Int((word >> UInt64(shift)) & 0xFF)] += 1 }
        }
        let expected = Double(1 << 20) / 256
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        let pValue = GoodnessOfFit.chiSquareUpperTail(chi2, degreesOfFreedom: 255)
        #expect(pValue >= GoodnessOfFit.threshold, "χ²=\(chi2) p=\(pValue)")
        // 2^17 words from 256 refills: a repeated 64-bit word would mean a block was served twice.
        #expect(Set(words).count == words.count)
    }

    @Test("a copy shares the buffer instead of replaying it")
    func copiesShare() {
        let a = SecureRandomSource()
        let b = a
        let first = a.next()
        let second = b.next()
        #expect(first != second)
    }
}
