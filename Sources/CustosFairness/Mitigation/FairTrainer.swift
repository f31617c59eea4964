import CustosCore
import CustosML

/// Settings of `FairTrainer.train`.
public struct FairTrainingOptions: Sendable {
    /// The label column.
    public var label: String
    /// The positive label value (required unless the label is 0/1 or boolean).
    public var positiveLabel: String?
    /// The sensitive column (the groups mitigation works on).
    public var sensitive: String
    /// The mitigation.
    public var method: MitigationMethod = .none
    /// Columns never used as features (the label is always excluded).
    public var excluded: Set<String> = []
    /// Whether the sensitive column is also a feature (the reference setup uses it as one). Threshold methods need
    /// it at prediction time either way.
    public var sensitiveAsFeature = true
    /// Logistic regression's `C`.
    public var c: Double = 1
    /// Exponentiated gradient's ε, iteration limit and η₀ (Fairlearn's defaults).
    public var eps = 0.01
    /// See `eps`.
    public var maxIterations = 50
    /// See `eps`.
    public var eta0 = 2.0
    /// Threshold optimizer grid size (Fairlearn's default).
    public var gridSize = 1000
    /// Seed of randomized predictions.
    public var seed: UInt64 = 0

    /// Options for `label` and `sensitive`; everything else at its default.
    public init(label: String, positiveLabel: String? = nil, sensitive: String, method: MitigationMethod = .none) {
        self.label = label
        self.positiveLabel = positiveLabel
        self.sensitive = sensitive
        self.method = method
    }
}

/// Trains a logistic regression with a fairness mitigation from a table and returns the model file.
public enum FairTrainer {
    /// Fits preprocessing (numeric columns standardized, text columns one-hot), the classifier and the mitigation.
    ///
    /// - Parameter progress: called with a short description of each stage (for a progress line on stderr).
    public static func train(_ table: Table, options: FairTrainingOptions, progress: (@Sendable (String) -> Void)? = nil) throws -> ModelFile {
        let labels = try BinaryOutcomes.binary(table, column: options.label, positiveLabel: options.positiveLabel)
        let groups = try SensitiveAttribute(table: table, column: options.sensitive).values
        var excluded = options.excluded.union([options.label])
        if !options.sensitiveAsFeature { excluded.insert(options.sensitive) }
        let pipeline = try FeaturePipeline.fit(table, excluding: excluded)
        let x = try pipeline.transform(table)
        let learner = LogisticRegression(c: options.c)
        let hashed = try table.selecting(Array(Set(pipeline.inputColumns + [options.label, options.sensitive])).sorted())
        let dataHash = Checksum.sha256(Array(CSVWriter().encode(hashed).utf8))
        let training = TrainingRecord(rows: table.rowCount, dataSHA256: dataHash, c: options.c, custosVersion: CustosVersion.current)
        let labelSpec = LabelSpec(column: options.label, positive: options.positiveLabel ?? "1")
        var classifier: LinearClassifier
        var mitigation = MitigationRecord(method: options.method.rawValue, sensitive: options.sensitive, seed: options.seed)
        switch options.method {
        case .none:
            progress?("fitting logistic regression")
            classifier = try learner.fit(x, labels: labels)
            mitigation.sensitive = nil
        case .reweighing:
            progress?("reweighing and fitting logistic regression")
            let weights = try Reweighing.weights(labels: labels, groups: groups).weights
            classifier = try learner.fit(x, labels: labels, weights: weights)
        case .expgradDP, .expgradEO, .expgradTPR, .expgradERP:
            guard let constraint = options.method.parityConstraint else { throw CustosError(.internal, "no constraint for \(options.method)") }
            let reduction = ExponentiatedGradient(constraint: constraint, eps: options.eps, maxIterations: options.maxIterations,
                                                  eta0: options.eta0, learner: learner)
            let result = try reduction.fit(x, labels: labels, groups: groups) { progress?("exponentiated gradient iteration \($0 + 1)") }
            mitigation.settings = ["eps": options.eps, "max_iter": Double(options.maxIterations), "eta0": options.eta0,
                                   "best_gap": result.bestGap, "oracle_calls": Double(result.oracleCalls)]
            mitigation.ensemble = result.ensemble
            // The top-level coefficients are the heaviest linear member, so a reader that ignores the mitigation
            // still gets one of the mixture's classifiers; prediction draws from the whole ensemble.
            let heaviest = result.ensemble.filter { $0.coefficients != nil }.max { $0.weight < $1.weight }
            classifier = LinearClassifier(coefficients: heaviest?.coefficients ?? [Double](repeating: 0, count: x.columns),
                                          intercept: heaviest?.intercept ?? 0)
        case .thresholdDP, .thresholdEO:
            guard let constraint = options.method.thresholdConstraint else { throw CustosError(.internal, "no constraint for \(options.method)") }
            progress?("fitting logistic regression")
            classifier = try learner.fit(x, labels: labels)
            progress?("optimizing group thresholds")
            let scores = try classifier.probabilities(x)
            let optimizer = ThresholdOptimizer(constraint: constraint, gridSize: options.gridSize)
            mitigation.groupThresholds = try optimizer.fit(scores: scores, labels: labels, groups: groups)
            mitigation.settings = ["grid_size": Double(options.gridSize)]
        }
        return ModelFile(pipeline: pipeline, classifier: classifier, label: labelSpec, training: training, mitigation: mitigation)
    }
}
