import CustosCore
import Foundation

/// Sentence embeddings with all-MiniLM-L6-v2 (or any BERT checkpoint in the same layout): the model is loaded
/// once, and `embed` may be called from any number of threads.
public final class Embedder: Sendable {
    /// The asset that holds all-MiniLM-L6-v2.
    public static let assetName = "minilm"

    /// How a batch uses the cores.
    public enum Parallelism: String, Sendable, CaseIterable {
        /// One text per core (`Parallel.map`), OpenBLAS single-threaded; best for batches (measured).
        case batch
        /// Texts one after another, OpenBLAS using every core inside each product.
        case blas
    }

    /// Options of one `embed` call.
    public struct Options: Sendable {
        /// Also return every layer's attention probabilities.
        public var attention: Bool
        /// Accept texts with no tokens (they embed as `[CLS] [SEP]`, as sentence-transformers does);
        /// when false such a text is an error.
        public var allowEmpty: Bool
        /// How the batch is spread over the cores.
        public var parallelism: Parallelism

        /// Creates options.
        public init(attention: Bool = false, allowEmpty: Bool = false, parallelism: Parallelism = .batch) {
            self.attention = attention
            self.allowEmpty = allowEmpty
            self.parallelism = parallelism
        }
    }

    /// The tokenizer.
    public let tokenizer: BertTokenizer
    /// The encoder.
    public let encoder: BertEncoder

    /// Loads `vocab.txt`, `config.json` and `model.safetensors` from a model directory.
    public init(directory: String, maxLength: Int = BertTokenizer.defaultMaxLength) throws {
        tokenizer = try BertTokenizer(directory: directory, maxLength: maxLength)
        encoder = try BertEncoder(directory: directory)
        guard tokenizer.vocabulary.count == encoder.config.vocabSize else {
            throw CustosError(
                .missingAsset,
                "vocab.txt has \(tokenizer.vocabulary.count) tokens but config.json says \(encoder.config.vocabSize)",
                at: SourceLocation(file: directory))
        }
    }

    /// Loads all-MiniLM-L6-v2 from `$CUSTOS_HOME/assets`; a missing asset names the setup command.
    public convenience init(home: CustosHome = CustosHome()) throws {
        let config = try home.require(asset: Self.assetName, file: "model/config.json")
        _ = try home.require(asset: Self.assetName, file: "model/model.safetensors")
        _ = try home.require(asset: Self.assetName, file: "model/vocab.txt")
        try self.init(directory: (config as NSString).deletingLastPathComponent)
    }

    /// Embedding dimension.
    public var dimension: Int { encoder.config.hiddenSize }

    /// Embeds one text.
    public func embed(_ text: String, options: Options = Options()) throws -> Embedding {
        try embed([text], options: options)[0]
    }

    /// Embeds texts, in order; an empty text is an error naming its index unless `options.allowEmpty`.
    public func embed(_ texts: [String], options: Options = Options()) throws -> [Embedding] {
        let tokenized = texts.map(tokenizer.tokenize)
        if !options.allowEmpty, let empty = tokenized.firstIndex(where: { $0.ids.count <= 2 }) {
            throw CustosError(
                .invalidInput,
                texts.count == 1 ? "the text is empty (nothing to embed after normalization)"
                    : "text \(empty) is empty (nothing to embed after normalization)",
                at: SourceLocation(row: empty + 1))
        }
        let encoder = self.encoder
        let attention = options.attention
        let run: @Sendable (Int) -> Result<Embedding, any Error> = { i in
            Result {
                let output = try encoder.forward(tokenized[i].ids, attention: attention)
                return Embedding(
                    tokenIDs: tokenized[i].ids, untruncatedTokenCount: tokenized[i].untruncatedCount,
                    vector: output.embedding, attention: output.attention)
            }
        }
        let results: [Result<Embedding, any Error>]
        switch options.parallelism {
        case .batch where texts.count > 1:
            BLASThreads.set(1)
            results = Parallel.map(texts.count, run)
        case .batch, .blas:
            BLASThreads.set(Parallel.threadCount)
            results = (0..<texts.count).map(run)
        }
        return try results.map { try $0.get() }
    }
}
