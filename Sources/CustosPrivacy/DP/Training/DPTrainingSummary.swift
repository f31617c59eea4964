import CustosML

/// What `custos dp train` reports: the (ε, δ) spent, the mechanism's settings and, with test data, the accuracy.
public struct DPTrainingSummary: Sendable, Hashable, Codable {
    /// ε spent, as the accountant computes it (at most the target).
    public var epsilon: Double
    /// δ spent.
    public var delta: Double
    /// The Rényi order that gave ε.
    public var order: Double
    /// The ε asked for.
    public var targetEpsilon: Double
    /// σ: noise standard deviation over the L2 sensitivity.
    public var noiseMultiplier: Double
    /// Noisy gradient steps.
    public var steps: Int
    /// Poisson sampling rate q.
    public var samplingRate: Double
    /// Training rows.
    public var rows: Int
    /// Features (without the intercept).
    public var features: Int
    /// The settings used.
    public var configuration: DPSGDConfiguration
    /// The guarantee of the released model.
    public var guarantee: PrivacyGuarantee
    /// Accuracy on the test data, when given.
    public var testAccuracy: Double?
    /// Rows of the test data, when given.
    public var testRows: Int?

    /// The summary of a trained model.
    public init(result: DPSGDResult, configuration: DPSGDConfiguration, testAccuracy: Double? = nil, testRows: Int? = nil) {
        epsilon = result.plan.spent.epsilon
        delta = result.plan.delta
        order = result.plan.spent.order
        targetEpsilon = configuration.epsilon
        noiseMultiplier = result.plan.noiseMultiplier
        steps = result.plan.steps
        samplingRate = result.plan.samplingRate
        rows = result.plan.rows
        features = result.plan.dimension - 1
        self.configuration = configuration
        guarantee = result.guarantee
        self.testAccuracy = testAccuracy
        self.testRows = testRows
    }

    enum CodingKeys: String, CodingKey {
        case epsilon, delta, order, targetEpsilon = "target_epsilon", noiseMultiplier = "noise_multiplier", steps
        case samplingRate = "sampling_rate", rows, features, configuration, guarantee, testAccuracy = "test_accuracy", testRows = "test_rows"
    }

    /// The share of rows where `classifier` predicts the label (scikit-learn's `accuracy_score`).
    public static func accuracy(_ classifier: LinearClassifier, _ data: DPTrainingData) throws -> Double {
        let predictions = try classifier.predict(data.x)
        guard !predictions.isEmpty else { return 0 }
        return Double(zip(predictions, data.labels).filter { $0 == $1 }.count) / Double(predictions.count)
    }
}
