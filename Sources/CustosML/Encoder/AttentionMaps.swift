/// Every layer's attention probabilities for one text, `[layer][head][query][key]`, stored flat.
public struct AttentionMaps: Sendable, Equatable {
    /// Number of layers.
    public let layers: Int
    /// Heads per layer.
    public let heads: Int
    /// Number of tokens (queries = keys).
    public let tokens: Int
    /// Probabilities, row-major in `[layer][head][query][key]` order; each query row sums to 1.
    public var probabilities: [Float]

    /// Wraps flat probabilities of the given dimensions.
    public init(layers: Int, heads: Int, tokens: Int, probabilities: [Float]) {
        precondition(probabilities.count == layers * heads * tokens * tokens, "attention size mismatch")
        self.layers = layers
        self.heads = heads
        self.tokens = tokens
        self.probabilities = probabilities
    }

    /// The probability that `query` attends to `key` in one layer and head.
    public subscript(layer: Int, head: Int, query: Int, key: Int) -> Float {
        probabilities[((layer * heads + head) * tokens + query) * tokens + key]
    }

    /// One head's `[query][key]` matrix.
    public func matrix(layer: Int, head: Int) -> [[Float]] {
        let base = (layer * heads + head) * tokens * tokens
        return (0..<tokens).map { q in Array(probabilities[(base + q * tokens)..<(base + (q + 1) * tokens)]) }
    }

    /// The head-averaged `[query][key]` matrix of one layer.
    public func headAverage(layer: Int) -> [Float] {
        var out = [Float](repeating: 0, count: tokens * tokens)
        let size = tokens * tokens
        for head in 0..<heads {
            let base = (layer * heads + head) * size
            for i in 0..<size { out[i] += probabilities[base + i] }
        }
        let scale = 1 / Float(heads)
        for i in 0..<size { out[i] *= scale }
        return out
    }

    /// The nested `[layer][head][query][key]` arrays (the CLI's `"attention"` field).
    public var nested: [[[[Float]]]] {
        (0..<layers).map { layer in (0..<heads).map { head in matrix(layer: layer, head: head) } }
    }
}
