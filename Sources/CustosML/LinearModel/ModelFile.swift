import CustosCore
import CustosReport
import Foundation

/// The saved-model JSON format of Custos' tabular classifiers (`custos fairness train` writes it, `predict` reads it).
///
/// At least `kind`, `features`, `coefficients`, `intercept`, `preprocessing` and `schema_version` are present, so a
/// linear model trained elsewhere can be brought as a file: an empty `preprocessing` list means the features are raw
/// numeric columns used as they are.
public struct ModelFile: Sendable, Equatable, Codable {
    /// The format version this build reads and writes.
    public static let currentSchemaVersion = 1
    /// The only model kind so far.
    public static let logisticRegressionKind = "logistic_regression"

    /// Format version of the file.
    public var schemaVersion: Int
    /// Model kind: `logistic_regression`.
    public var kind: String
    /// Feature names in column order after preprocessing.
    public var features: [String]
    /// One coefficient per feature.
    public var coefficients: [Double]
    /// The intercept.
    public var intercept: Double
    /// Fitted preprocessing steps (empty: the features are raw numeric columns).
    public var preprocessing: [PreprocessingStep]
    /// The label column and its positive value, when known.
    public var label: LabelSpec?
    /// How the model was trained, when it was trained by Custos.
    public var training: TrainingRecord?
    /// The fairness mitigation applied, when one was.
    public var mitigation: MitigationRecord?
    /// The differential-privacy guarantee of the parameters, when they were trained privately (`custos dp train`).
    public var privacy: PrivacyRecord?

    /// Creates a file from a pipeline and a classifier.
    public init(pipeline: FeaturePipeline, classifier: LinearClassifier, label: LabelSpec? = nil,
                training: TrainingRecord? = nil, mitigation: MitigationRecord? = nil, privacy: PrivacyRecord? = nil) {
        schemaVersion = Self.currentSchemaVersion
        kind = Self.logisticRegressionKind
        features = pipeline.featureNames
        coefficients = classifier.coefficients
        intercept = classifier.intercept
        preprocessing = pipeline.steps
        self.label = label
        self.training = training
        self.mitigation = mitigation
        self.privacy = privacy
    }

    /// The preprocessing as a pipeline (raw feature columns when `preprocessing` is empty).
    public var pipeline: FeaturePipeline {
        preprocessing.isEmpty ? FeaturePipeline(rawColumns: features) : FeaturePipeline(steps: preprocessing)
    }

    /// The base classifier (before any mitigation).
    public var classifier: LinearClassifier { LinearClassifier(coefficients: coefficients, intercept: intercept) }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", kind, features, coefficients, intercept, preprocessing, label, training, mitigation, privacy
    }

    /// Reads and checks a model file: schema version, kind, lengths, finite numbers, features matching preprocessing.
    public static func load(_ path: String) throws -> ModelFile {
        let bytes = try FileInput.readBytes(path)
        struct Header: Decodable {
            var schemaVersion: Int?
            var kind: String?
            enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version", kind }
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes)) } catch {
            throw CustosError(.invalidInput, "not a model file (expected a JSON object with \"schema_version\" and \"kind\")", at: SourceLocation(file: path))
        }
        guard let version = header.schemaVersion else {
            throw CustosError(.invalidInput, "model file has no \"schema_version\"", at: SourceLocation(file: path, jsonPath: "$.schema_version"))
        }
        guard version == currentSchemaVersion else {
            throw CustosError(.invalidInput, "model file schema_version \(version) is not supported (this build reads \(currentSchemaVersion))",
                              at: SourceLocation(file: path, jsonPath: "$.schema_version"))
        }
        guard header.kind == logisticRegressionKind else {
            throw CustosError(.invalidInput, "model kind '\(header.kind ?? "")' is not supported (expected '\(logisticRegressionKind)')",
                              at: SourceLocation(file: path, jsonPath: "$.kind"))
        }
        let file: ModelFile
        do { file = try JSONDecoder().decode(ModelFile.self, from: Data(bytes)) } catch let error as DecodingError {
            throw CustosError(.invalidInput, "malformed model file: \(Self.describe(error))", at: SourceLocation(file: path))
        }
        try file.validate(path: path)
        return file
    }

    /// Checks internal consistency; errors carry the JSON path of the problem.
    public func validate(path: String? = nil) throws {
        guard coefficients.count == features.count else {
            throw CustosError(.invalidInput, "\(coefficients.count) coefficients for \(features.count) features",
                              at: SourceLocation(file: path, jsonPath: "$.coefficients"))
        }
        if let bad = coefficients.firstIndex(where: { !$0.isFinite }) {
            throw CustosError(.invalidInput, "coefficient is not finite", at: SourceLocation(file: path, jsonPath: "$.coefficients[\(bad)]"))
        }
        guard intercept.isFinite else { throw CustosError(.invalidInput, "intercept is not finite", at: SourceLocation(file: path, jsonPath: "$.intercept")) }
        if !preprocessing.isEmpty, pipeline.featureNames != features {
            throw CustosError(.invalidInput, "\"features\" do not match the features the preprocessing produces",
                              at: SourceLocation(file: path, jsonPath: "$.features"))
        }
    }

    /// Writes the file atomically (pretty JSON, sorted keys).
    public func save(to path: String) throws {
        try FileInput.writeAtomically(JSONOutput.encode(self) + "\n", to: path)
    }

    static func describe(_ error: DecodingError) -> String {
        func pathText(_ path: [any CodingKey]) -> String {
            "$" + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(pathText(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(pathText(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// The label column and which of its values is the positive class.
public struct LabelSpec: Sendable, Equatable, Codable {
    /// Column name.
    public var column: String
    /// The positive value as text.
    public var positive: String

    /// Creates a label spec.
    public init(column: String, positive: String) {
        self.column = column
        self.positive = positive
    }
}

/// How a model was trained.
public struct TrainingRecord: Sendable, Equatable, Codable {
    /// Training rows.
    public var rows: Int
    /// SHA-256 of the training data (the feature, label and sensitive columns as CSV).
    public var dataSHA256: String
    /// Inverse regularization strength.
    public var c: Double
    /// The Custos version that trained it.
    public var custosVersion: String

    /// Creates a record.
    public init(rows: Int, dataSHA256: String, c: Double, custosVersion: String) {
        self.rows = rows
        self.dataSHA256 = dataSHA256
        self.c = c
        self.custosVersion = custosVersion
    }

    enum CodingKeys: String, CodingKey {
        case rows, dataSHA256 = "data_sha256", c = "C", custosVersion = "custos_version"
    }
}

/// How a model's parameters were trained with differential privacy: the guarantee and the mechanism's settings.
/// (Kept as plain numbers here, below the privacy module; `CustosPrivacy` fills it from a `DPSGDPlan`.)
public struct PrivacyRecord: Sendable, Equatable, Codable {
    /// The mechanism: `dp-sgd`.
    public var mechanism: String
    /// The guarantee's ε, as the accountant computed it.
    public var epsilon: Double
    /// The guarantee's δ.
    public var delta: Double
    /// The neighbouring relation the guarantee is stated for (`add/remove one row`).
    public var neighbours: String
    /// The accountant and bound that gave ε.
    public var accountant: String
    /// Mechanism settings (noise multiplier, steps, sampling rate, clipping norm, grid step, …).
    public var settings: [String: Double]

    /// Creates a record.
    public init(mechanism: String, epsilon: Double, delta: Double, neighbours: String, accountant: String, settings: [String: Double]) {
        self.mechanism = mechanism
        self.epsilon = epsilon
        self.delta = delta
        self.neighbours = neighbours
        self.accountant = accountant
        self.settings = settings
    }
}

/// A fairness mitigation saved with the model: its settings and what prediction must apply.
public struct MitigationRecord: Sendable, Equatable, Codable {
    /// `none`, `reweighing`, `expgrad-dp`, `expgrad-eo`, `expgrad-tpr`, `expgrad-erp`, `threshold-dp`, `threshold-eo`.
    public var method: String
    /// The sensitive column (needed at prediction time by threshold methods).
    public var sensitive: String?
    /// Numeric settings (eps, max_iter, eta0, grid_size, …).
    public var settings: [String: Double]
    /// Seed of randomized predictions.
    public var seed: UInt64?
    /// Exponentiated gradient: the randomized mixture predict draws from (weights sum to 1).
    public var ensemble: [EnsembleMember]?
    /// Threshold optimizer: each group's randomized thresholds on the base model's probability.
    public var groupThresholds: [String: RandomizedThreshold]?

    /// Creates a record.
    public init(method: String, sensitive: String? = nil, settings: [String: Double] = [:], seed: UInt64? = nil,
                ensemble: [EnsembleMember]? = nil, groupThresholds: [String: RandomizedThreshold]? = nil) {
        self.method = method
        self.sensitive = sensitive
        self.settings = settings
        self.seed = seed
        self.ensemble = ensemble
        self.groupThresholds = groupThresholds
    }

    enum CodingKeys: String, CodingKey {
        case method, sensitive, settings, seed, ensemble, groupThresholds = "group_thresholds"
    }
}

/// One member of a randomized ensemble: a linear classifier, or a constant prediction.
public struct EnsembleMember: Sendable, Equatable, Codable {
    /// Probability of drawing this member.
    public var weight: Double
    /// Coefficients (absent for a constant member).
    public var coefficients: [Double]?
    /// Intercept (absent for a constant member).
    public var intercept: Double?
    /// The constant prediction of a constant member.
    public var constant: Bool?

    /// A linear member.
    public init(weight: Double, classifier: LinearClassifier) {
        self.weight = weight
        self.coefficients = classifier.coefficients
        self.intercept = classifier.intercept
        self.constant = nil
    }

    /// A constant member.
    public init(weight: Double, constant: Bool) {
        self.weight = weight
        self.coefficients = nil
        self.intercept = nil
        self.constant = constant
    }

    /// The probability that a randomized ensemble (members drawn by weight) predicts positive, per row.
    public static func positiveProbabilities(_ members: [EnsembleMember], _ x: DenseMatrix) throws -> [Double] {
        var out = [Double](repeating: 0, count: x.rows)
        for member in members where member.weight > 0 {
            let predictions = try member.predict(x)
            for i in 0..<x.rows where predictions[i] { out[i] += member.weight }
        }
        return out
    }

    /// Hard predictions of this member per row.
    public func predict(_ x: DenseMatrix) throws -> [Bool] {
        if let constant { return [Bool](repeating: constant, count: x.rows) }
        guard let coefficients, let intercept else {
            throw CustosError(.invalidInput, "ensemble member has neither coefficients nor a constant")
        }
        return try LinearClassifier(coefficients: coefficients, intercept: intercept).predict(x)
    }
}
