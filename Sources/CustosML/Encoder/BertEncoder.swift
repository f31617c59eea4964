import COpenBLAS
import CustosCore

/// A BERT encoder forward pass for one sequence at a time: embeddings and LayerNorm, then per layer masked
/// multi-head self-attention and a GELU feed-forward block, each followed by residual + LayerNorm (post-LN).
///
/// Each text runs alone at its own length, which is exactly masked attention over a padded batch (padding keys
/// get probability 0 and padding rows are discarded by mean pooling) without computing the padding.
/// Matrix products go to OpenBLAS `cblas_sgemm`; the rest is `VectorKernels`.
public struct BertEncoder: Sendable {
    /// The model configuration.
    public let config: BertConfig
    /// The weights.
    public let weights: BertWeights

    /// Wraps loaded weights.
    public init(config: BertConfig, weights: BertWeights) {
        self.config = config
        self.weights = weights
    }

    /// Loads `config.json` and `model.safetensors` from a model directory.
    public init(directory: String) throws {
        let config = try BertConfig(contentsOf: directory + "/config.json")
        let file = try SafeTensorsFile(path: directory + "/model.safetensors")
        self.init(config: config, weights: try BertWeights(file, config: config))
    }

    /// The result of one forward pass.
    public struct Output: Sendable {
        /// Mean-pooled, L2-normalized sentence embedding.
        public var embedding: [Float]
        /// `[tokens][hidden]` last hidden state, row-major.
        public var lastHiddenState: [Float]
        /// Attention probabilities of every layer, when asked for.
        public var attention: AttentionMaps?
    }

    /// Runs the encoder over token ids (with `[CLS]`/`[SEP]`); ids outside the vocabulary or more tokens than
    /// learned positions are an error.
    public func forward(_ ids: [Int32], attention wantsAttention: Bool = false) throws -> Output {
        let n = ids.count
        let c = config
        guard n > 0 else { throw CustosError(.invalidInput, "no tokens to encode") }
        guard n <= c.maxPositions else {
            throw CustosError(.invalidInput, "\(n) tokens exceed the model's \(c.maxPositions) positions")
        }
        if let bad = ids.first(where: { $0 < 0 || Int($0) >= c.vocabSize }) {
            throw CustosError(.invalidInput, "token id \(bad) is outside the vocabulary of \(c.vocabSize)")
        }
        let h = c.hiddenSize
        let inner = c.intermediateSize
        let heads = c.headCount
        let dh = c.headSize
        let scale = 1 / Float(dh).squareRoot()

        let x = UnsafeMutablePointer<Float>.allocate(capacity: n * h)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: n * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: n * 3 * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: n * h)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: n * inner)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer {
            x.deallocate(); y.deallocate(); qkv.deallocate(); context.deallocate(); hidden.deallocate(); scores.deallocate()
        }
        var probabilities: [Float] = wantsAttention ? [Float](repeating: 0, count: c.layerCount * heads * n * n) : []

        // Embeddings: word + position + token type 0, then LayerNorm.
        weights.wordEmbeddings.withUnsafeBufferPointer { word in
            weights.positionEmbeddings.withUnsafeBufferPointer { position in
                weights.tokenTypeEmbeddings.withUnsafeBufferPointer { type in
                    guard let word = word.baseAddress, let position = position.baseAddress, let type = type.baseAddress else { return }
                    for t in 0..<n {
                        let w = word + Int(ids[t]) * h
                        let p = position + t * h
                        let row = x + t * h
                        for i in 0..<h { row[i] = w[i] + p[i] + type[i] }
                    }
                }
            }
        }
        Self.layerNorm(x, rows: n, width: h, weights.embeddingNormWeight, weights.embeddingNormBias, c.layerNormEpsilon)

        for (index, layer) in weights.layers.enumerated() {
            // Q, K, V in one product: qkv[n, 3h] = x · Wqkvᵀ + b.
            Self.linear(x, rows: n, inputs: h, layer.qkvWeight, layer.qkvBias, into: qkv, outputs: 3 * h)
            for head in 0..<heads {
                let q = qkv + head * dh
                let k = qkv + h + head * dh
                let v = qkv + 2 * h + head * dh
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(dh),
                            scale, q, Int32(3 * h), k, Int32(3 * h), 0, scores, Int32(n))
                VectorKernels.softmaxRows(scores, rows: n, width: n)
                if wantsAttention {
                    let base = (index * heads + head) * n * n
                    probabilities.withUnsafeMutableBufferPointer { out in
                        guard let out = out.baseAddress else { return }
                        (out + base).update(from: scores, count: n * n)
                    }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(dh), Int32(n),
                            1, scores, Int32(n), v, Int32(3 * h), 0, context + head * dh, Int32(h))
            }
            // Attention output projection + residual, LayerNorm.
            Self.linear(context, rows: n, inputs: h, layer.attentionOutputWeight, layer.attentionOutputBias,
                        into: y, outputs: h, residual: x)
            Self.layerNorm(y, rows: n, width: h, layer.attentionNormWeight, layer.attentionNormBias, c.layerNormEpsilon)
            // Feed-forward: GELU(y · W1ᵀ + b1) · W2ᵀ + b2 + y, LayerNorm.
            Self.linear(y, rows: n, inputs: h, layer.intermediateWeight, layer.intermediateBias, into: hidden, outputs: inner)
            VectorKernels.gelu(hidden, count: n * inner)
            Self.linear(hidden, rows: n, inputs: inner, layer.outputWeight, layer.outputBias, into: x, outputs: h, residual: y)
            Self.layerNorm(x, rows: n, width: h, layer.outputNormWeight, layer.outputNormBias, c.layerNormEpsilon)
        }
        let embedding = VectorKernels.meanPoolNormalized(x, rows: n, width: h)
        let last = Array(UnsafeBufferPointer(start: x, count: n * h))
        return Output(
            embedding: embedding, lastHiddenState: last,
            attention: wantsAttention ? AttentionMaps(layers: c.layerCount, heads: heads, tokens: n, probabilities: probabilities) : nil)
    }

    /// `output[rows, outputs] = input · weightᵀ + bias (+ residual)` with `weight` in PyTorch's `[outputs, inputs]` layout.
    private static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ weight: [Float], _ bias: [Float],
        into output: UnsafeMutablePointer<Float>, outputs: Int, residual: UnsafePointer<Float>? = nil
    ) {
        bias.withUnsafeBufferPointer { b in
            guard let b = b.baseAddress else { return }
            if let residual {
                VectorKernels.addRows(residual, b, into: output, rows: rows, width: outputs)
            } else {
                VectorKernels.broadcastRows(b, into: output, rows: rows, width: outputs)
            }
        }
        weight.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                        1, input, Int32(inputs), w.baseAddress, Int32(inputs), 1, output, Int32(outputs))
        }
    }

    private static func layerNorm(
        _ data: UnsafeMutablePointer<Float>, rows: Int, width: Int, _ weight: [Float], _ bias: [Float], _ epsilon: Float
    ) {
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                guard let w = w.baseAddress, let b = b.baseAddress else { return }
                VectorKernels.layerNormRows(data, rows: rows, width: width, weight: w, bias: b, epsilon: epsilon)
            }
        }
    }
}
