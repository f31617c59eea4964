/// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): the residual
/// connection is modelled by mixing each layer's head-averaged attention with the identity,
/// `Â = 0.5·A + 0.5·I`, and layers are composed by matrix product, `R_l = Â_l · R_{l−1}`.
public enum AttentionRollout {
    /// Weight of the attention matrix against the identity (the paper's 0.5 for the residual path).
    public static let attentionWeight: Float = 0.5

    /// The cumulative rollout after each layer, each a row-major `[query][key]` matrix whose rows sum to 1.
    public static func compute(_ maps: AttentionMaps) -> [[Float]] {
        let n = maps.tokens
        var rollout: [Float] = []
        var result: [[Float]] = []
        for layer in 0..<maps.layers {
            var mixed = maps.headAverage(layer: layer)
            for q in 0..<n {
                var sum: Float = 0
                for k in 0..<n {
                    let value = attentionWeight * mixed[q * n + k] + (q == k ? 1 - attentionWeight : 0)
                    mixed[q * n + k] = value
                    sum += value
                }
                for k in 0..<n { mixed[q * n + k] /= sum }
            }
            if rollout.isEmpty {
                rollout = mixed
            } else {
                var product = [Float](repeating: 0, count: n * n)
                for q in 0..<n {
                    for m in 0..<n {
                        let a = mixed[q * n + m]
                        if a == 0 { continue }
                        for k in 0..<n { product[q * n + k] += a * rollout[m * n + k] }
                    }
                }
                rollout = product
            }
            result.append(rollout)
        }
        return result
    }
}
