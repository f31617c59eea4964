import CustosCore
import Foundation

/// Sentence embeddings with all-MiniLM-L6-v2 (or any BERT checkpoint in the same layout): the model is loaded
/// once, and `embed` may be called from any number of threads.
public final class Embedder: Sendable {
    /// The asset that holds all-MiniLM-L6-v2.
    public static let assetName = "minilm"

    /// How a batch uses the cores.
    public enum Parallelism: String, Sendable, CaseIterable {
        /// The texts split over the cores (`Parallel.map`), each core stacking its texts into one product per
        /// layer with OpenBLAS single-threaded.
        case batch
        /// All texts stacked into one product per layer, OpenBLAS using every core inside each product.
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

    /// Loads `vocab.txt`, `config.json` and `model.safetensors` from a model directory; `precision` is the
    /// encoder's (`BertEncoder.Precision`).
    public init(
        directory: String, maxLength: Int = BertTokenizer.defaultMaxLength,
        precision: BertEncoder.Precision = .float32
    ) throws {
        tokenizer = try BertTokenizer(directory: directory, maxLength: maxLength)
        encoder = try BertEncoder(directory: directory, precision: precision)
        guard tokenizer.vocabulary.count == encoder.config.vocabSize else {
            throw CustosError(
                .missingAsset,
                "vocab.txt has \(tokenizer.vocabulary.count) tokens but config.json says \(encoder.config.vocabSize)",
                at: SourceLocation(file: directory))
        }
    }

    /// Loads all-MiniLM-L6-v2 from `$CUSTOS_HOME/assets`; a missing asset names the setup command.
    public convenience init(home: CustosHome = CustosHome(), precision: BertEncoder.Precision = .float32) throws {
        let config = try home.require(asset: Self.assetName, file: "model/config.json")
        _ = try home.require(asset: Self.assetName, file: "model/model.safetensors")
        _ = try home.require(asset: Self.assetName, file: "model/vocab.txt")
        try self.init(directory: (config as NSString).deletingLastPathComponent, precision: precision)
    }

    /// Embedding dimension.
    public var dimension: Int { encoder.config.hiddenSize }

    /// Embeds one text.
    public func embed(_ text: String, options: Options = Options()) throws -> Embedding {
        try embed([text], options: options)[0]
    }

    /// Embeds texts, in order; an empty text is an error naming its index unless `options.allowEmpty`.
    public func embed(_ texts: [String], options: Options = Options()) throws -> [Embedding] {
        guard !texts.isEmpty else { return [] }
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
        let workers = options.parallelism == .batch ? min(Parallel.threadCount, texts.count) : 1
        let passes = Self.plan(tokenized.map(\.ids.count), workers: workers, maxRows: Self.maxRowsPerPass)
        let run: @Sendable (Int) -> Result<[(Int, Embedding)], any Error> = { worker in
            Result {
                var done: [(Int, Embedding)] = []
                for pass in passes[worker] {
                    let outputs = try encoder.forward(
                        batch: pass.map { tokenized[$0].ids }, attention: attention, lastHiddenState: false)
                    for (i, output) in zip(pass, outputs) {
                        done.append((i, Embedding(
                            tokenIDs: tokenized[i].ids, untruncatedTokenCount: tokenized[i].untruncatedCount,
                            vector: output.embedding, attention: output.attention)))
                    }
                }
                return done
            }
        }
        let results: [Result<[(Int, Embedding)], any Error>]
        if workers > 1 {
            BLASThreads.set(1)
            results = Parallel.map(workers, run)
        } else {
            BLASThreads.set(Parallel.threadCount)
            results = [run(0)]
        }
        var ordered = [Embedding?](repeating: nil, count: texts.count)
        for result in results {
            for (i, embedding) in try result.get() { ordered[i] = embedding }
        }
        return ordered.compactMap { $0 }
    }

    /// Rows (tokens of all texts) one forward pass stacks at most, which bounds its memory (~9 KB a row).
    static let maxRowsPerPass = 4096

    /// Splits texts (by token count) over `workers`, longest first onto the least-loaded worker, and each worker's
    /// texts into passes of at most `maxRows` tokens. Returns `[worker][pass][text index]`.
    static func plan(_ lengths: [Int], workers: Int, maxRows: Int) -> [[[Int]]] {
        var load = [Int](repeating: 0, count: workers)
        var assigned = [[Int]](repeating: [], count: workers)
        for i in lengths.indices.sorted(by: { lengths[$0] > lengths[$1] }) {
            let worker = load.indices.min(by: { load[$0] < load[$1] }) ?? 0
            load[worker] += lengths[i]
            assigned[worker].append(i)
        }
        return assigned.map { indices in
            var passes: [[Int]] = []
            var current: [Int] = []
            var rows = 0
            for i in indices.sorted() {
                if !current.isEmpty && rows + lengths[i] > maxRows {
                    passes.append(current)
                    current = []
                    rows = 0
                }
                current.append(i)
                rows += lengths[i]
            }
            if !current.isEmpty { passes.append(current) }
            return passes
        }
    }
}
