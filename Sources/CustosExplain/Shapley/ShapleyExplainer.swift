import CustosCore
import CustosML

/// Which Shapley estimator to run.
public enum ShapleyMethod: String, Sendable, Codable, CaseIterable {
    /// Every coalition (`ExactShapley`), up to `ExactShapley.maximumPlayers` features.
    case exact
    /// KernelSHAP with the Shapley kernel and paired sampling (`KernelSHAP`).
    case kernel
    /// Antithetic permutation sampling (`PermutationShapley`).
    case permutation
}

/// Shapley values of a tabular model for a set of rows against a background set (interventional game).
public struct ShapleyExplainer: Sendable {
    /// The estimator.
    public var method: ShapleyMethod
    /// Coalition evaluations per row for `kernel` and `permutation` (SHAP's `nsamples`).
    public var samples: Int
    /// Seed of the sampling estimators; row `i` draws from its own stream, so results do not depend on threads.
    public var seed: UInt64

    /// The default sample budget: SHAP's `KernelExplainer` default is `2·M + 2048`.
    public static func defaultSamples(features: Int) -> Int { 2 * features + 2048 }

    /// An explainer; `samples` defaults to `defaultSamples(features:)` when nil.
    public init(method: ShapleyMethod = .exact, samples: Int? = nil, seed: UInt64 = 0, features: Int) throws {
        self.method = method
        self.samples = samples ?? Self.defaultSamples(features: features)
        self.seed = seed
        if method == .exact, features > ExactShapley.maximumPlayers {
            throw CustosError(.usage, "exact Shapley values enumerate all 2^M coalitions; \(features) features exceed the "
                + "limit of \(ExactShapley.maximumPlayers) — use --method kernel (KernelSHAP) or permutation with --samples")
        }
        if method != .exact, self.samples < 2 {
            throw CustosError(.usage, "--samples must be at least 2 (got \(self.samples))")
        }
    }

    /// Explains one game with the configured estimator, drawing from stream `stream` of the seed.
    public func attribute(_ game: some CoalitionGame, stream: UInt64) throws -> Attribution {
        var generator = SeededGenerator(seed: seed, stream: stream)
        switch method {
        case .exact: return try ExactShapley.attribute(game)
        case .kernel: return try KernelSHAP(samples: samples).attribute(game, generator: &generator)
        case .permutation: return try PermutationShapley(samples: samples).attribute(game, generator: &generator)
        }
    }

    /// Shapley values of `model` for every row of `rows` against `background` (rows explained on all cores).
    public func explain(_ model: any TabularModel, rows: DenseMatrix, background: DenseMatrix) throws -> ShapleyResult {
        let m = model.featureNames.count
        guard rows.columns == m else {
            throw CustosError(.invalidInput, "the model has \(m) features but the data has \(rows.columns) columns")
        }
        guard background.columns == m else {
            throw CustosError(.invalidInput, "the model has \(m) features but the background set has \(background.columns) columns")
        }
        guard background.rows > 0 else { throw CustosError(.invalidInput, "the background set has no rows") }
        let baseValues = try checkedPredictions(model, background) { "background row \($0 + 1)" }
        let baseValue = baseValues.reduce(0, +) / Double(baseValues.count)
        let outcomes = Parallel.map(rows.rows) { i in
            Result { () throws -> Attribution in
                let game = try InterventionalGame(model: model, row: rows.row(i), background: background,
                                                  rowDescription: "row \(i + 1) of the data")
                return try attribute(game, stream: UInt64(i))
            }
        }
        var explained: [ShapleyResult.Row] = []
        for (i, outcome) in outcomes.enumerated() {
            let attribution = try outcome.get()
            explained.append(.init(index: i, prediction: attribution.prediction, values: attribution.values))
        }
        return ShapleyResult(features: model.featureNames, baseValue: baseValue, rows: explained,
                             method: method, samples: method == .exact ? nil : samples)
    }
}

/// Shapley values of many rows: the `custos explain shap --format json` document.
public struct ShapleyResult: Sendable, Equatable, Codable {
    /// One explained row.
    public struct Row: Sendable, Equatable, Codable {
        /// 0-based row index in the data.
        public var index: Int
        /// The model's output for the row.
        public var prediction: Double
        /// One Shapley value per feature; they sum to `prediction − base_value`.
        public var values: [Double]

        /// Creates a row.
        public init(index: Int, prediction: Double, values: [Double]) {
            self.index = index
            self.prediction = prediction
            self.values = values
        }
    }

    /// Feature names, in value order.
    public var features: [String]
    /// Mean model output over the background set.
    public var baseValue: Double
    /// The explained rows.
    public var rows: [Row]
    /// The estimator used (not part of the JSON document).
    public var method: ShapleyMethod
    /// The sample budget of a sampling estimator (not part of the JSON document).
    public var samples: Int?

    /// Creates a result.
    public init(features: [String], baseValue: Double, rows: [Row], method: ShapleyMethod, samples: Int?) {
        self.features = features
        self.baseValue = baseValue
        self.rows = rows
        self.method = method
        self.samples = samples
    }

    /// Mean |φ| per feature over the rows (the summary plot).
    public var meanAbsoluteValues: [Double] {
        guard !rows.isEmpty else { return [Double](repeating: 0, count: features.count) }
        return features.indices.map { j in rows.reduce(0) { $0 + abs($1.values[j]) } / Double(rows.count) }
    }

    enum CodingKeys: String, CodingKey { case features, baseValue = "base_value", rows }

    /// Decodes the JSON document (method recorded as exact).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        features = try container.decode([String].self, forKey: .features)
        baseValue = try container.decode(Double.self, forKey: .baseValue)
        rows = try container.decode([Row].self, forKey: .rows)
        method = .exact
        samples = nil
    }
}
