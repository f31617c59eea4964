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
    public var model: IRLSLogisticRegression
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
