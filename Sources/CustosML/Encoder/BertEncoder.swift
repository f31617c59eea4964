import COpenBLAS
import CustosCore

/// A BERT encoder forward pass: embeddings and LayerNorm, then per layer masked multi-head self-attention and a
/// GELU feed-forward block, each followed by residual + LayerNorm (post-LN).
///
/// Texts are stacked without padding and each attends only to its own tokens, which is exactly masked attention
/// over a padded batch (padding keys get probability 0 and padding rows are discarded by mean pooling) without
/// computing the padding.
/// Matrix products go to OpenBLAS `cblas_sgemm`; the rest is `VectorKernels`.
public struct BertEncoder: Sendable {
    /// The model configuration.
    public let config: BertConfig
    /// The weights.
    public let weights: BertWeights
    /// The precision of the linear layers' products.
    public let precision: Precision
    /// Per layer, the four linear layers' weights prepared for bfloat16 products (empty in `.float32`).
    private let bfloat16Layers: [BFloat16Layer]

    /// How the linear layers (Q/K/V, attention output, feed-forward) multiply; everything else (embeddings,
    /// attention scores and their softmax, GELU, LayerNorm, pooling) is float32 in both.
    public enum Precision: String, Sendable, CaseIterable {
        /// Float32 throughout (OpenBLAS `sgemm`): the reference's numbers.
        case float32
        /// Inputs and weights of the linear layers rounded to bfloat16, products summed in float32. On a CPU with
        /// AMX (Intel Sapphire Rapids and later) those products run on the matrix tiles, several times faster; with
        /// AVX512_BF16 (Cooper Lake, AMD Zen 4) as vector dot products, about twice as fast; elsewhere the same
        /// rounding is applied and `sgemm` does the products (same numbers, no faster). See `BFloat16Kernel`.
        /// all-MiniLM-L6-v2 embeddings keep a cosine similarity of at least 0.9999 with float32's (`docs/encoder.md`).
        case bfloat16
    }

    private struct BFloat16Layer: Sendable {
        var qkv: BFloat16Weight
        var attentionOutput: BFloat16Weight
        var intermediate: BFloat16Weight
        var output: BFloat16Weight
        var weights: [BFloat16Weight] { [qkv, attentionOutput, intermediate, output] }
    }

    /// Wraps loaded weights; `.bfloat16` prepares a rounded copy of the linear layers' weights (half the size).
    public init(config: BertConfig, weights: BertWeights, precision: Precision = .float32) {
        self.config = config
        self.weights = weights
        self.precision = precision
        let h = config.hiddenSize
        let inner = config.intermediateSize
        bfloat16Layers = precision == .float32 ? [] : weights.layers.map { layer in
            BFloat16Layer(
                qkv: BFloat16Weight(layer.qkvWeight, outputs: 3 * h, inputs: h),
                attentionOutput: BFloat16Weight(layer.attentionOutputWeight, outputs: h, inputs: h),
                intermediate: BFloat16Weight(layer.intermediateWeight, outputs: inner, inputs: h),
                output: BFloat16Weight(layer.outputWeight, outputs: h, inputs: inner))
        }
    }

    /// Loads `config.json` and `model.safetensors` from a model directory.
    public init(directory: String, precision: Precision = .float32) throws {
        let config = try BertConfig(contentsOf: directory + "/config.json")
        let file = try SafeTensorsFile(path: directory + "/model.safetensors")
        self.init(config: config, weights: try BertWeights(file, config: config), precision: precision)
    }

    /// Where this encoder's bfloat16 products run (nil in `.float32`).
    public var bfloat16Kernel: BFloat16Kernel? { bfloat16Layers.first?.qkv.kernel }

    /// The result of one forward pass.
    public struct Output: Sendable {
        /// Mean-pooled, L2-normalized sentence embedding.
        public var embedding: [Float]
        /// `[tokens][hidden]` last hidden state, row-major (empty when not asked for).
        public var lastHiddenState: [Float]
        /// Attention probabilities of every layer, when asked for.
        public var attention: AttentionMaps?
    }

    /// Runs the encoder over one text's token ids (with `[CLS]`/`[SEP]`).
    public func forward(_ ids: [Int32], attention wantsAttention: Bool = false) throws -> Output {
        try forward(batch: [ids], attention: wantsAttention)[0]
    }

    /// Runs the encoder over several texts at once. The texts' tokens are stacked into one matrix so each linear
    /// layer is a single product over all rows (OpenBLAS packs each weight matrix once per product, which dominates
    /// for short texts); attention runs per text. Ids outside the vocabulary or more tokens than learned positions
    /// are an error.
    public func forward(
        batch: [[Int32]], attention wantsAttention: Bool = false, lastHiddenState wantsHiddenState: Bool = true
    ) throws -> [Output] {
        let c = config
        guard !batch.isEmpty else { return [] }
        BLASCore.prepare()
        for ids in batch {
            guard !ids.isEmpty else { throw CustosError(.invalidInput, "no tokens to encode") }
            guard ids.count <= c.maxPositions else {
                throw CustosError(.invalidInput, "\(ids.count) tokens exceed the model's \(c.maxPositions) positions")
            }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= c.vocabSize }) {
                throw CustosError(.invalidInput, "token id \(bad) is outside the vocabulary of \(c.vocabSize)")
            }
        }
        let h = c.hiddenSize
        let inner = c.intermediateSize
        let heads = c.headCount
        let dh = c.headSize
        let scale = 1 / Float(dh).squareRoot()
        var offsets: [Int] = [0]
        for ids in batch { offsets.append(offsets[offsets.count - 1] + ids.count) }
        let rows = offsets[batch.count]
        let longest = batch.map(\.count).max() ?? 0

        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: rows * 3 * h)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: rows * h)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: rows * inner)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: longest * longest)
        let scratch = bfloat16Layers.isEmpty ? nil : BFloat16Scratch(
            rows: rows, inputs: max(h, inner), outputs: max(3 * h, inner),
            packed: bfloat16Layers.contains { $0.weights.contains(where: \.kernel.readsPackedWeight) },
            rounded: bfloat16Layers.contains { $0.weights.contains { !$0.kernel.readsPackedWeight } })
        defer {
            x.deallocate(); y.deallocate(); qkv.deallocate(); context.deallocate(); hidden.deallocate(); scores.deallocate()
        }
        var probabilities: [[Float]] = wantsAttention
            ? batch.map { [Float](repeating: 0, count: c.layerCount * heads * $0.count * $0.count) } : []

        // Embeddings: word + position + token type 0, then LayerNorm.
        weights.wordEmbeddings.withUnsafeBufferPointer { word in
            weights.positionEmbeddings.withUnsafeBufferPointer { position in
                weights.tokenTypeEmbeddings.withUnsafeBufferPointer { type in
                    guard let word = word.baseAddress, let position = position.baseAddress, let type = type.baseAddress else { return }
                    for (s, ids) in batch.enumerated() {
                        for t in 0..<ids.count {
                            let w = word + Int(ids[t]) * h
                            let p = position + t * h
                            let row = x + (offsets[s] + t) * h
                            for i in 0..<h { row[i] = w[i] + p[i] + type[i] }
                        }
                    }
                }
            }
        }
        Self.layerNorm(x, rows: rows, width: h, weights.embeddingNormWeight, weights.embeddingNormBias, c.layerNormEpsilon)

        for (index, layer) in weights.layers.enumerated() {
            let rounded = bfloat16Layers.isEmpty ? nil : bfloat16Layers[index]
            // Q, K, V for every row in one product: qkv[rows, 3h] = x · Wqkvᵀ + b.
            Self.linear(x, rows: rows, inputs: h, layer.qkvWeight, rounded?.qkv, layer.qkvBias, scratch,
                        into: qkv, outputs: 3 * h)
            for s in 0..<batch.count {
                let n = batch[s].count
                let base = qkv + offsets[s] * 3 * h
                for head in 0..<heads {
                    let q = base + head * dh
                    let k = base + h + head * dh
                    let v = base + 2 * h + head * dh
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(dh),
                                scale, q, Int32(3 * h), k, Int32(3 * h), 0, scores, Int32(n))
                    VectorKernels.softmaxRows(scores, rows: n, width: n)
                    if wantsAttention {
                        let start = (index * heads + head) * n * n
                        probabilities[s].withUnsafeMutableBufferPointer { out in
                            guard let out = out.baseAddress else { return }
                            (out + start).update(from: scores, count: n * n)
                        }
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(dh), Int32(n),
                                1, scores, Int32(n), v, Int32(3 * h), 0, context + offsets[s] * h + head * dh, Int32(h))
                }
            }
            // Attention output projection + residual, LayerNorm.
            Self.linear(context, rows: rows, inputs: h, layer.attentionOutputWeight, rounded?.attentionOutput,
                        layer.attentionOutputBias, scratch, into: y, outputs: h, residual: x)
            Self.layerNorm(y, rows: rows, width: h, layer.attentionNormWeight, layer.attentionNormBias, c.layerNormEpsilon)
            // Feed-forward: GELU(y · W1ᵀ + b1) · W2ᵀ + b2 + y, LayerNorm.
            Self.linear(y, rows: rows, inputs: h, layer.intermediateWeight, rounded?.intermediate, layer.intermediateBias,
                        scratch, into: hidden, outputs: inner)
            VectorKernels.gelu(hidden, count: rows * inner)
            Self.linear(hidden, rows: rows, inputs: inner, layer.outputWeight, rounded?.output, layer.outputBias, scratch,
                        into: x, outputs: h, residual: y)
            Self.layerNorm(x, rows: rows, width: h, layer.outputNormWeight, layer.outputNormBias, c.layerNormEpsilon)
        }
        return (0..<batch.count).map { s in
            let n = batch[s].count
            let start = x + offsets[s] * h
            return Output(
                embedding: VectorKernels.meanPoolNormalized(start, rows: n, width: h),
                lastHiddenState: wantsHiddenState ? Array(UnsafeBufferPointer(start: start, count: n * h)) : [],
                attention: wantsAttention
                    ? AttentionMaps(layers: c.layerCount, heads: heads, tokens: n, probabilities: probabilities[s]) : nil)
        }
    }

    /// `output[rows, outputs] = input · weightᵀ + bias (+ residual)` with `weight` in PyTorch's `[outputs, inputs]` layout;
    /// through `rounded` (bfloat16) when given.
    private static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ weight: [Float], _ rounded: BFloat16Weight?,
        _ bias: [Float], _ scratch: BFloat16Scratch?, into output: UnsafeMutablePointer<Float>, outputs: Int,
        residual: UnsafePointer<Float>? = nil
    ) {
        bias.withUnsafeBufferPointer { b in
            guard let b = b.baseAddress else { return }
            if let residual {
                VectorKernels.addRows(residual, b, into: output, rows: rows, width: outputs)
            } else {
                VectorKernels.broadcastRows(b, into: output, rows: rows, width: outputs)
            }
        }
        if let rounded, let scratch {
            rounded.accumulate(input, rows: rows, into: output, scratch: scratch)
            return
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
