import CustosCore
import Foundation

/// The fields of a Hugging Face BERT `config.json` the encoder needs.
public struct BertConfig: Sendable, Equatable, Codable {
    /// Vocabulary size.
    public var vocabSize: Int
    /// Hidden size (384 for MiniLM-L6).
    public var hiddenSize: Int
    /// Number of encoder layers.
    public var layerCount: Int
    /// Attention heads per layer.
    public var headCount: Int
    /// Feed-forward inner size.
    public var intermediateSize: Int
    /// Number of learned positions.
    public var maxPositions: Int
    /// Number of token types (segments).
    public var typeVocabSize: Int
    /// LayerNorm epsilon.
    public var layerNormEpsilon: Float
    /// Activation name; only `gelu` (erf form) is supported.
    public var hiddenActivation: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maxPositions = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenActivation = "hidden_act"
    }

    /// Size of one head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads and checks `config.json`.
    public init(contentsOf path: String) throws {
        let bytes = try FileInput.readBytes(path, limit: 1 << 20)
        do {
            self = try JSONDecoder().decode(BertConfig.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw CustosError(.missingAsset, "not a BERT config.json: \(Self.describe(error))", at: SourceLocation(file: path))
        }
        try validate(path: path)
    }

    private func validate(path: String) throws {
        let at = SourceLocation(file: path)
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw CustosError(.missingAsset, "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)", at: at)
        }
        guard vocabSize > 0, layerCount > 0, intermediateSize > 0, maxPositions > 0, typeVocabSize > 0 else {
            throw CustosError(.missingAsset, "config sizes must be positive", at: at)
        }
        guard hiddenActivation == "gelu" else {
            throw CustosError(.missingAsset, "hidden_act '\(hiddenActivation)' is not supported (only gelu)", at: at)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
