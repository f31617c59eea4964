import CustosCore

/// The settings of a DP-SGD run: the privacy target and the optimizer's hyperparameters.
///
/// Only public quantities appear here: the number of training rows enters later, through `DPSGDPlan` (it sets the
/// sampling rate q = batch/rows; under add/remove neighbours the row count is treated as public, as in every
/// DP-SGD accountant).
public struct DPSGDConfiguration: Sendable, Hashable, Codable {
    /// Target ε (> 0).
    public var epsilon: Double
    /// Target δ, in (0, 1): a Gaussian mechanism cannot give δ = 0.
    public var delta: Double
    /// Passes over the data in expectation: the number of steps is ⌈epochs · rows / batchSize⌉.
    public var epochs: Double
    /// Expected batch size: each row is sampled independently with probability batchSize/rows.
    public var batchSize: Int
    /// C: each example's gradient (coefficients and intercept) is clipped to this L2 norm.
    public var clipNorm: Double
    /// Step size applied to the noisy mean gradient.
    public var learningRate: Double

    /// Defaults chosen on Adult (see docs/dp.md): 5 epochs of expected batches of 512, C = 1, step size 2.
    public init(epsilon: Double, delta: Double, epochs: Double = 5, batchSize: Int = 512, clipNorm: Double = 1,
                learningRate: Double = 2) {
        self.epsilon = epsilon
        self.delta = delta
        self.epochs = epochs
        self.batchSize = batchSize
        self.clipNorm = clipNorm
        self.learningRate = learningRate
    }

    /// Clipping norms accepted: the grid step is C/2¹⁰ to C/2¹¹ and must stay a normal double with room to spare
    /// (a gradient coordinate is at most C, so anything outside this range is a units mistake anyway).
    public static let clipNormRange = 1e-100...1e100

    enum CodingKeys: String, CodingKey {
        case epsilon, delta, epochs, batchSize = "batch_size", clipNorm = "clip_norm", learningRate = "learning_rate"
    }

    /// Checks every setting; errors name the setting and the value.
    public func validate() throws {
        guard epsilon.isFinite, epsilon > 0 else { throw CustosError(.invalidInput, "epsilon must be positive and finite, got \(epsilon)") }
        guard delta > 0, delta < 1 else {
            throw CustosError(.invalidInput, "delta must be in (0, 1) for DP-SGD (Gaussian noise cannot give delta = 0), got \(delta)")
        }
        guard epochs.isFinite, epochs > 0 else { throw CustosError(.invalidInput, "epochs must be positive and finite, got \(epochs)") }
        guard batchSize >= 1 else { throw CustosError(.invalidInput, "the batch size must be at least 1, got \(batchSize)") }
        guard clipNorm >= Self.clipNormRange.lowerBound, clipNorm <= Self.clipNormRange.upperBound else {
            throw CustosError(.invalidInput, "the clipping norm must be positive, in [\(Self.clipNormRange.lowerBound), \(Self.clipNormRange.upperBound)], got \(clipNorm)")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw CustosError(.invalidInput, "the learning rate must be positive and finite, got \(learningRate)")
        }
    }
}
