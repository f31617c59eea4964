import CustosCore

/// What `custos explain attention` shows for one text: its tokens, every head's attention and the rollout.
public struct AttentionExplanation: Sendable {
    /// The text as given.
    public var text: String
    /// Token strings, `[CLS]` … `[SEP]`.
    public var tokens: [String]
    /// Whether the text was truncated to the model's maximum length.
    public var truncated: Bool
    /// Every layer's attention.
    public var attention: AttentionMaps
    /// Cumulative attention rollout after each layer (`AttentionRollout`).
    public var rollout: [[Float]]

    /// Runs the encoder with attention on `text`.
    public init(text: String, embedder: Embedder) throws {
        let embedding = try embedder.embed(text, options: .init(attention: true, parallelism: .blas))
        guard let attention = embedding.attention else {
            throw CustosError(.internal, "the encoder returned no attention")
        }
        self.text = text
        tokens = embedder.tokenizer.tokens(embedding.tokenIDs)
        truncated = embedding.truncated
        self.attention = attention
        rollout = AttentionRollout.compute(attention)
    }

    /// Each token's share of the final rollout averaged over all query positions — the relevance of each input
    /// token to the mean-pooled sentence embedding. Sums to 1.
    public var pooledRelevance: [Float] {
        guard let last = rollout.last else { return [] }
        let n = attention.tokens
        var relevance = [Float](repeating: 0, count: n)
        for q in 0..<n {
            for k in 0..<n { relevance[k] += last[q * n + k] / Float(n) }
        }
        return relevance
    }
}
