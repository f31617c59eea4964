import CustosCore

/// The weights of a BERT encoder, read from safetensors into `Float` arrays. Linear weights keep
/// PyTorch's `[out, in]` layout; the query, key and value projections are stacked into one `[3·hidden, hidden]`.
public struct BertWeights: Sendable {
    /// One encoder layer.
    public struct Layer: Sendable {
        /// `[3H, H]` query, key and value weights stacked.
        public var qkvWeight: [Float]
        /// `[3H]` biases.
        public var qkvBias: [Float]
        /// `[H, H]` attention output projection.
        public var attentionOutputWeight: [Float]
        /// `[H]`.
        public var attentionOutputBias: [Float]
        /// LayerNorm after attention.
        public var attentionNormWeight: [Float]
        /// LayerNorm after attention.
        public var attentionNormBias: [Float]
        /// `[I, H]` feed-forward up projection.
        public var intermediateWeight: [Float]
        /// `[I]`.
        public var intermediateBias: [Float]
        /// `[H, I]` feed-forward down projection.
        public var outputWeight: [Float]
        /// `[H]`.
        public var outputBias: [Float]
        /// LayerNorm after the feed-forward block.
        public var outputNormWeight: [Float]
        /// LayerNorm after the feed-forward block.
        public var outputNormBias: [Float]
    }

    /// `[vocab, H]`.
    public var wordEmbeddings: [Float]
    /// `[positions, H]`.
    public var positionEmbeddings: [Float]
    /// `[types, H]`.
    public var tokenTypeEmbeddings: [Float]
    /// LayerNorm over the summed embeddings.
    public var embeddingNormWeight: [Float]
    /// LayerNorm over the summed embeddings.
    public var embeddingNormBias: [Float]
    /// The encoder layers.
    public var layers: [Layer]

    /// Reads every tensor the config calls for; a missing or mis-shaped tensor is an error naming it.
    /// Names may carry a `bert.` prefix (as in `BertForMaskedLM` checkpoints).
    public init(_ file: SafeTensorsFile, config c: BertConfig) throws {
        let prefix = file.entries["embeddings.word_embeddings.weight"] == nil
            && file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func t(_ name: String, _ shape: [Int]) throws -> [Float] { try file.floats(prefix + name, shape: shape) }
        let h = c.hiddenSize
        wordEmbeddings = try t("embeddings.word_embeddings.weight", [c.vocabSize, h])
        positionEmbeddings = try t("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbeddings = try t("embeddings.token_type_embeddings.weight", [c.typeVocabSize, h])
        embeddingNormWeight = try t("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try t("embeddings.LayerNorm.bias", [h])
        layers = try (0..<c.layerCount).map { i in
            let p = "encoder.layer.\(i)."
            return Layer(
                qkvWeight: try t(p + "attention.self.query.weight", [h, h]) + t(p + "attention.self.key.weight", [h, h])
                    + t(p + "attention.self.value.weight", [h, h]),
                qkvBias: try t(p + "attention.self.query.bias", [h]) + t(p + "attention.self.key.bias", [h])
                    + t(p + "attention.self.value.bias", [h]),
                attentionOutputWeight: try t(p + "attention.output.dense.weight", [h, h]),
                attentionOutputBias: try t(p + "attention.output.dense.bias", [h]),
                attentionNormWeight: try t(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBias: try t(p + "attention.output.LayerNorm.bias", [h]),
                intermediateWeight: try t(p + "intermediate.dense.weight", [c.intermediateSize, h]),
                intermediateBias: try t(p + "intermediate.dense.bias", [c.intermediateSize]),
                outputWeight: try t(p + "output.dense.weight", [h, c.intermediateSize]),
                outputBias: try t(p + "output.dense.bias", [h]),
                outputNormWeight: try t(p + "output.LayerNorm.weight", [h]),
                outputNormBias: try t(p + "output.LayerNorm.bias", [h]))
        }
    }
}
