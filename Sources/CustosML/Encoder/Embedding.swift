/// One text's encoder result: its tokens, the sentence embedding, and optionally every layer's attention.
public struct Embedding: Sendable {
    /// Token ids including `[CLS]` and `[SEP]`, after truncation.
    public var tokenIDs: [Int32]
    /// Tokens the text had before truncation (specials included).
    public var untruncatedTokenCount: Int
    /// The L2-normalized mean-pooled sentence vector.
    public var vector: [Float]
    /// Attention probabilities, when asked for.
    public var attention: AttentionMaps?

    /// Creates an embedding result.
    public init(tokenIDs: [Int32], untruncatedTokenCount: Int, vector: [Float], attention: AttentionMaps? = nil) {
        self.tokenIDs = tokenIDs
        self.untruncatedTokenCount = untruncatedTokenCount
        self.vector = vector
        self.attention = attention
    }

    /// Whether the text was cut to the model's maximum length.
    public var truncated: Bool { untruncatedTokenCount > tokenIDs.count }

    /// Cosine similarity with another embedding (a dot product, both being unit vectors).
    public func cosineSimilarity(to other: Embedding) -> Float {
        Embedding.cosineSimilarity(vector, other.vector)
    }

    /// Cosine similarity of two vectors of equal length (0 when either is zero).
    public static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors must have the same length")
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in 0..<a.count {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        let denominator = (na * nb).squareRoot()
        return denominator > 0 ? dot / denominator : 0
    }
}
