import BigInt
import CustosCore
import CustosML
import Foundation

/// Differentially private logistic regression by DP-SGD (Abadi et al. 2016) with exact noise: each step samples
/// every row independently with probability q (Poisson sampling, drawn exactly), clips each sampled example's
/// gradient of the logistic loss — coefficients and intercept together — to L2 norm C, rounds it to the grid g,
/// sums the integer vectors, adds discrete Gaussian noise of variance V grid units² to every coordinate, and takes a
/// step along the noisy sum scaled by g / (expected batch size).
///
/// Privacy guarantee: (ε, δ)-DP under add/remove-one neighbours with ε = `DPSGDPlan.spent`, the `RDPAccountant`'s
/// conversion of T steps of `SubsampledDiscreteGaussianRDP`. Adding or removing one example changes the integer sum by
/// that example's rounded contribution, whose squared norm is checked in integers to be at most B, and V ≥ σ²B; the
/// discrete Gaussian's RDP at shift v is at most α‖v‖²/(2V) ≤ α/(2σ²) (CKS 2020), and no floating-point noise is
/// drawn (Mironov 2012). Everything else — the iterates, the progress reports — is post-processing.
public struct DPSGDTrainer: Sendable {
    /// The settings.
    public let configuration: DPSGDConfiguration

    /// A trainer; refuses invalid settings.
    public init(configuration: DPSGDConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Trains with noise and sampling from the operating system's cryptographically secure source.
    public func train(_ x: DenseMatrix, labels: [Bool], plan: DPSGDPlan,
                      progress: (DPSGDProgress) -> Void = { _ in }) throws -> DPSGDResult {
        var generator = SecureRandomSource()
        return try train(x, labels: labels, plan: plan, using: &generator, progress: progress)
    }

    /// Trains with `generator` (only a cryptographically secure source gives a private model; tests may seed one).
    public func train<G: RandomNumberGenerator>(
        _ x: DenseMatrix, labels: [Bool], plan: DPSGDPlan, using generator: inout G,
        progress: (DPSGDProgress) -> Void = { _ in }
    ) throws -> DPSGDResult {
        guard x.rows == plan.rows, labels.count == x.rows else {
            throw CustosError(.invalidInput, "the plan is for \(plan.rows) rows but the data has \(x.rows) rows and \(labels.count) labels")
        }
        guard x.columns + 1 == plan.dimension else {
            throw CustosError(.invalidInput, "the plan is for \(plan.dimension - 1) features but the data has \(x.columns)")
        }
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            throw CustosError(.invalidInput, "feature value \(x.values[bad]) is not finite",
                              at: SourceLocation(row: bad / x.columns + 1, column: "\(bad % x.columns + 1)"))
        }
        let d = x.columns
        let dimension = plan.dimension
        let sampler = try DiscreteGaussianSampler(variance: Rational(BigUInt(plan.noiseVariance)))
        let perStepRDP = try SubsampledDiscreteGaussianRDP(samplingRate: plan.samplingRate, noiseMultiplier: plan.noiseMultiplier)
            .rdp(orders: DPSGDPlan.orders)
        // The divisor is the expected batch size (public), never the sampled one (private).
        let stepScale = configuration.learningRate * plan.granularity / Double(plan.samplingNumerator)
        let numerator = UInt64(plan.samplingNumerator)
        let denominator = UInt64(plan.samplingDenominator)
        let reportEvery = max(1, plan.steps / 20)
        var theta = [Double](repeating: 0, count: dimension)
        var sum = [Int](repeating: 0, count: dimension)
        var contribution = [Int](repeating: 0, count: dimension)
        try x.values.withUnsafeBufferPointer { values in
            for step in 1...plan.steps {
                for j in 0..<dimension { sum[j] = 0 }
                for i in 0..<plan.rows where ExactBernoulli.sample(numerator: numerator, denominator: denominator, using: &generator) {
                    let row = UnsafeBufferPointer(rebasing: values[(i * d)..<((i + 1) * d)])
                    var z = theta[d]
                    for j in 0..<d { z += theta[j] * row[j] }
                    let residual = LogisticRegression.sigmoid(z) - (labels[i] ? 1 : 0)
                    plan.roundedContribution(features: row, residual: residual, into: &contribution)
                    for j in 0..<dimension { sum[j] += contribution[j] }
                }
                for j in 0..<dimension {
                    guard let noise = Int(exactly: sampler.sample(using: &generator)) else {
                        throw CustosError(.internal, "a discrete Gaussian draw does not fit in 64 bits")
                    }
                    theta[j] -= stepScale * Double(sum[j] + noise)
                }
                if step % reportEvery == 0 || step == plan.steps {
                    let spent = try RDPConversion.epsilon(orders: DPSGDPlan.orders, rdp: perStepRDP.map { $0 * Double(step) }, delta: plan.delta)
                    progress(DPSGDProgress(step: step, steps: plan.steps, epsilon: spent.epsilon))
                }
            }
        }
        return DPSGDResult(classifier: LinearClassifier(coefficients: Array(theta[0..<d]), intercept: theta[d]), plan: plan)
    }
}

extension DPSGDPlan {
    /// One example's clipped gradient rounded to the grid, as integers (coefficients, then the intercept), with
    /// squared norm at most `sensitivitySquared` — checked in integers, whatever floating point did.
    public func roundedContribution(features: [Double], residual: Double) -> [Int] {
        var out = [Int](repeating: 0, count: dimension)
        features.withUnsafeBufferPointer { roundedContribution(features: $0, residual: residual, into: &out) }
        return out
    }

    /// `roundedContribution(features:residual:)` into a buffer of `dimension` integers.
    func roundedContribution(features: UnsafeBufferPointer<Double>, residual: Double, into out: inout [Int]) {
        let d = features.count
        var squaredNorm = 1.0
        for j in 0..<d { squaredNorm += features[j] * features[j] }
        let norm = abs(residual) * squaredNorm.squareRoot()
        // Clip to C, then divide by g (a power of two: exact).
        let factor = (norm > clipNorm ? clipNorm / norm : 1) * residual / granularity
        var total = 0
        for j in 0..<d {
            let k = Self.gridInteger(factor * features[j])
            out[j] = k
            total += k * k
        }
        out[d] = Self.gridInteger(factor)
        total += out[d] * out[d]
        // Rounding can add up to √(d+1)/2 grid units, which B allows for; should floating point overshoot anyway,
        // shrink toward zero (every nonzero coordinate loses at least one unit per pass) until the bound holds.
        while total > sensitivitySquared {
            let shrink = (Double(sensitivitySquared) / Double(total)).squareRoot()
            total = 0
            for j in 0...d {
                out[j] = Int((Double(out[j]) * shrink).rounded(.towardZero))
                total += out[j] * out[j]
            }
        }
    }

    /// The nearest integer, saturated far beyond any value clipping allows (so a NaN or ∞ cannot trap).
    static func gridInteger(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(max(-1e15, min(1e15, value.rounded())))
    }
}

/// One progress report: after `step` of `steps`, the ε spent so far (at the plan's δ).
public struct DPSGDProgress: Sendable, Hashable {
    /// Steps done.
    public var step: Int
    /// Steps planned.
    public var steps: Int
    /// ε spent by the steps done, at the plan's δ.
    public var epsilon: Double
}

/// A DP-SGD model and the plan it was trained under.
public struct DPSGDResult: Sendable {
    /// The released classifier.
    public var classifier: LinearClassifier
    /// The plan (σ, steps, the (ε, δ) spent).
    public var plan: DPSGDPlan
    /// The model's guarantee: (ε, δ)-DP, add/remove-one neighbours.
    public var guarantee: PrivacyGuarantee { plan.guarantee }
}
