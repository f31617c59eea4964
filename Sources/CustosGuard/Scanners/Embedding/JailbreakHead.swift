import CustosCore
import CustosML
import Foundation

/// The trained jailbreak classifier: logistic regression on [MiniLM sentence embedding ; cue features],
/// with the hashes of the data it was trained on and its cross-validated figures.
public struct JailbreakHead: Sendable, Codable, Equatable {
    /// Format tag.
    public var format: String
    /// Names of the interpretable features appended to the embedding.
    public var features: [String]
    /// The fitted model (384 embedding weights, then one per feature).
    public var model: LinearClassifier
    /// Decision threshold on the probability.
    public var threshold: Double
    /// Training files with their SHA-256 and row counts.
    public var trainingData: [TrainingFile]
    /// Cross-validated figures at training time.
    public var crossValidation: [String: Double]

    /// A training input file.
    public struct TrainingFile: Sendable, Codable, Equatable {
        /// File name as given.
        public var file: String
        /// SHA-256 of its bytes.
        public var sha256: String
        /// Rows used.
        public var rows: Int
    }

    enum CodingKeys: String, CodingKey {
        case format, features, model, threshold
        case trainingData = "training_data"
        case crossValidation = "cross_validation"
    }

    /// Current format tag.
    public static let currentFormat = "custos-jailbreak-head/1"

    /// The committed head (`Resources/jailbreak_head.json`).
    public static func bundled() throws -> JailbreakHead {
        guard let url = Bundle.module.url(forResource: "jailbreak_head", withExtension: "json") else {
            throw CustosError(.missingAsset, "jailbreak_head.json is missing from the CustosGuard bundle; run `custos guard train jailbreak`")
        }
        return try load(Data(contentsOf: url), source: url.path)
    }

    /// SHA-256 (hex) of every prompt the committed head was trained on, whitespace-trimmed
    /// (`Resources/jailbreak_training_texts.sha256`, from `scripts/guard/make-training-hashes.py`): evaluations such
    /// as `custos redteam` leave these texts out, so the detector is never measured on its own training data.
    public static func trainingTextHashes() throws -> Set<String> {
        guard let url = Bundle.module.url(forResource: "jailbreak_training_texts", withExtension: "sha256") else {
            throw CustosError(.missingAsset, "jailbreak_training_texts.sha256 is missing from the CustosGuard bundle")
        }
        return Set(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init))
    }

    /// Parses a head file.
    public static func load(_ data: Data, source: String) throws -> JailbreakHead {
        guard let head = try? JSONDecoder().decode(JailbreakHead.self, from: data), head.format == currentFormat,
              head.features == JailbreakFeatures.names else {
            throw CustosError(.invalidInput, "not a \(currentFormat) file with the current feature set", at: SourceLocation(file: source))
        }
        return head
    }

    /// Input row for the model.
    static func row(embedding: [Float], normalizedText: String) -> [Double] {
        embedding.map(Double.init) + JailbreakFeatures.vector(normalizedText)
    }
}

extension JailbreakHead {
    /// The model as the format stores it: `{"weights": [...], "bias": b}`.
    private struct StoredModel: Codable {
        var weights: [Double]
        var bias: Double
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        features = try c.decode([String].self, forKey: .features)
        let stored = try c.decode(StoredModel.self, forKey: .model)
        model = LinearClassifier(coefficients: stored.weights, intercept: stored.bias)
        threshold = try c.decode(Double.self, forKey: .threshold)
        trainingData = try c.decode([TrainingFile].self, forKey: .trainingData)
        crossValidation = try c.decode([String: Double].self, forKey: .crossValidation)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(features, forKey: .features)
        try c.encode(StoredModel(weights: model.coefficients, bias: model.intercept), forKey: .model)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(trainingData, forKey: .trainingData)
        try c.encode(crossValidation, forKey: .crossValidation)
    }
}
