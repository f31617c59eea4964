import CustosCore
import CustosML
import Foundation

/// Everything about a DP-SGD run that is fixed before any data is touched: the sampling rate, the number of steps,
/// the calibrated noise multiplier, the grid the gradients are summed on and the (ε, δ) the run spends.
///
/// Privacy guarantee: `guarantee` = (ε, δ)-DP under add/remove-one neighbours, with ε = `spent.epsilon` as the
/// `RDPAccountant` computes it for `steps` compositions of `SubsampledDiscreteGaussianRDP`.
public struct DPSGDPlan: Sendable, Hashable, Codable {
    /// Training rows (treated as public).
    public let rows: Int
    /// Coordinates of one gradient: the features plus the intercept.
    public let dimension: Int
    /// q = batchSize / rows.
    public let samplingRate: Double
    /// The Poisson sampling rate as an exact fraction batchSize / rows (the sampler draws it exactly).
    public let samplingNumerator: Int
    /// Denominator of the sampling rate (the rows).
    public let samplingDenominator: Int
    /// T: noisy gradient steps.
    public let steps: Int
    /// σ: the noise standard deviation over the L2 sensitivity, the smallest (to 1e-7 relative) meeting the target.
    public let noiseMultiplier: Double
    /// The (ε, δ) spent, as the accountant computes it (ε ≤ the target), and the order that gave it.
    public let spent: RDPEpsilon
    /// The δ of `spent`.
    public let delta: Double
    /// C, the clipping norm.
    public let clipNorm: Double
    /// g: the grid step the clipped gradients are rounded to (a power of two with C/g ∈ [1024, 2048)).
    public let granularity: Double
    /// B: the bound on the squared L2 norm, in grid units, of one example's rounded contribution (enforced exactly).
    public let sensitivitySquared: Int
    /// V = ⌈σ²·B⌉ + 1: the discrete Gaussian's σ² in grid units on every coordinate (≥ σ²B, so σ is met or exceeded).
    public let noiseVariance: Int

    /// The guarantee of the released model: (ε, δ)-DP, add/remove-one neighbours.
    public var guarantee: PrivacyGuarantee { .approximateDP(epsilon: spent.epsilon, delta: delta) }

    /// The orders the plan's accountant tracks: every integer to 128, then a few larger ones (the discrete-Gaussian
    /// bound is evaluated at integer orders, so fractional ones would add nothing).
    public static let orders: [Double] = (2...128).map(Double.init) + [160, 192, 256, 384, 512, 1024]

    /// Relative resolution of the noise-multiplier bisection.
    static let calibrationTolerance = 1e-7

    /// Grid bits: C/g ∈ [2¹⁰, 2¹¹), so rounding moves each coordinate by at most C/2048 — negligible against the
    /// noise (σ·C) — while σ²·B still fits the discrete Gaussian sampler's 64-bit path up to σ ≈ 25.
    static let gridBits = 10

    /// Plans a run on `rows` examples of `features` features; refuses bad settings and empty data before anything
    /// is computed from the data.
    public init(configuration: DPSGDConfiguration, rows: Int, features: Int) throws {
        try configuration.validate()
        guard rows > 0 else { throw CustosError(.invalidInput, "the training data has no rows") }
        guard features > 0 else { throw CustosError(.invalidInput, "the training data has no feature columns") }
        guard configuration.batchSize <= rows else {
            throw CustosError(.invalidInput, "the batch size \(configuration.batchSize) exceeds the \(rows) training rows")
        }
        self.rows = rows
        dimension = features + 1
        samplingNumerator = configuration.batchSize
        samplingDenominator = rows
        samplingRate = Double(configuration.batchSize) / Double(rows)
        let stepsDouble = (configuration.epochs * Double(rows) / Double(configuration.batchSize)).rounded(.up)
        guard stepsDouble <= 10_000_000 else { throw CustosError(.invalidInput, "\(stepsDouble) steps is too many (at most 10,000,000)") }
        steps = max(1, Int(stepsDouble))
        delta = configuration.delta
        (noiseMultiplier, spent) = try Self.calibrate(samplingRate: samplingRate, steps: steps,
                                                      epsilon: configuration.epsilon, delta: configuration.delta)
        clipNorm = configuration.clipNorm
        granularity = Double(sign: .plus, exponent: configuration.clipNorm.exponent - Self.gridBits, significand: 1)
        let bound = configuration.clipNorm / granularity + Double(dimension).squareRoot() / 2
        sensitivitySquared = Int((bound * bound).rounded(.up))
        let variance = (noiseMultiplier * noiseMultiplier * Double(sensitivitySquared)).rounded(.up)
        // σ ≤ 10⁶ (calibration's limit) and B < 2²³ keep this below 2⁶³.
        guard variance < 9e18 else { throw CustosError(.invalidInput, "the noise variance \(variance) grid units² is too large") }
        noiseVariance = Int(variance) + 1
    }

    /// The ε that `steps` steps at noise multiplier σ spend, as the accountant computes it.
    public static func epsilon(samplingRate: Double, noiseMultiplier: Double, steps: Int, delta: Double,
                               curve: NoiseCurve = .discreteGaussian) throws -> RDPEpsilon {
        var accountant = try RDPAccountant(orders: orders)
        switch curve {
        case .discreteGaussian:
            try accountant.compose(SubsampledDiscreteGaussianRDP(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier), count: steps)
        case .continuousGaussian:
            try accountant.compose(SubsampledGaussianRDP(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier), count: steps)
        }
        return try accountant.epsilon(delta: delta)
    }

    /// Which per-step RDP curve a calibration uses.
    public enum NoiseCurve: Sendable {
        /// `SubsampledDiscreteGaussianRDP`: what DP-SGD here draws and is charged for.
        case discreteGaussian
        /// `SubsampledGaussianRDP`: the continuous formula, for comparison only (the noise multiplier a floating-point
        /// implementation would claim; the `custos-bench dp-sgd` table reports it).
        case continuousGaussian
    }

    /// The smallest σ (to `calibrationTolerance` relative) whose ε is at most `epsilon`, by bisection (ε decreases
    /// as σ grows), with the ε it spends.
    public static func calibrate(samplingRate: Double, steps: Int, epsilon target: Double, delta: Double,
                                 curve: NoiseCurve = .discreteGaussian) throws -> (Double, RDPEpsilon) {
        func spent(_ sigma: Double) throws -> RDPEpsilon {
            try epsilon(samplingRate: samplingRate, noiseMultiplier: sigma, steps: steps, delta: delta, curve: curve)
        }
        var high = 1.0
        var highSpent = try spent(high)
        while highSpent.epsilon > target {
            high *= 2
            guard high <= 1e6 else {
                throw CustosError(.invalidInput, "no noise multiplier up to 1e6 reaches epsilon \(target) at delta \(delta) in \(steps) steps")
            }
            highSpent = try spent(high)
        }
        var low = high / 2
        while try spent(low).epsilon <= target {
            high = low
            highSpent = try spent(high)
            low /= 2
            // Below 1e-3 the noise is irrelevant; stop there (the bound is astronomically large anyway).
            if low < 1e-3 { return (high, highSpent) }
        }
        while high - low > calibrationTolerance * high {
            let mid = low + (high - low) / 2
            let midSpent = try spent(mid)
            if midSpent.epsilon <= target {
                high = mid
                highSpent = midSpent
            } else {
                low = mid
            }
        }
        return (high, highSpent)
    }
}

extension DPSGDPlan {
    /// The record saved in the model file: the guarantee and every setting needed to recompute ε.
    public var privacyRecord: PrivacyRecord {
        PrivacyRecord(
            mechanism: "dp-sgd", epsilon: spent.epsilon, delta: delta, neighbours: "add/remove one row",
            accountant: "RDP, Poisson-subsampled discrete Gaussian (both directions bounded, docs/dp.md), order \(spent.order)",
            settings: [
                "noise_multiplier": noiseMultiplier, "steps": Double(steps), "sampling_rate": samplingRate, "rows": Double(rows),
                "clip_norm": clipNorm, "granularity": granularity, "sensitivity_squared_grid": Double(sensitivitySquared),
                "noise_variance_grid": Double(noiseVariance),
            ])
    }
}
