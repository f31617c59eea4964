/// The elementwise parts of the encoder (LayerNorm, GELU, softmax, pooling), written as plain pointer
/// loops without library calls in the hot paths so the compiler can vectorize them.
public enum VectorKernels {
    /// `exp(x)` for x ≤ 88 with ~1 ulp error: Cephes' `expf` reduction (round to nearest with the
    /// 1.5·2²³ trick, two-part ln 2) and degree-5 polynomial, with 2ⁿ built from the exponent bits.
    @inline(__always)
    public static func exp(_ value: Float) -> Float {
        let x = min(max(value, -87.0), 88.0)
        let magic: Float = 12_582_912  // 1.5 · 2^23: adding it rounds to an integer kept in the low mantissa bits
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        let z = r * r
        var p: Float = 1.987_569_1e-4
        p = p * r + 1.398_199_9e-3
        p = p * r + 8.333_452e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_5e-1
        p = p * r + 5.000_000_1e-1
        let y = p * z + r + 1
        let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        return y * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
    }

    /// Softmax of each of `rows` rows of `width` values, in place.
    public static func softmaxRows(_ data: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let x = data + row * width
            let maximum = self.maximum(x, count: width)
            // Separate loops: the exp loop has no reduction, so it vectorizes; the sums use explicit SIMD lanes
            // (the compiler may not reorder a floating-point reduction on its own).
            for i in 0..<width { x[i] = exp(x[i] - maximum) }
            let scale = 1 / sum(x, count: width)
            for i in 0..<width { x[i] *= scale }
        }
    }

    /// Sum of `count` floats with eight independent SIMD accumulators.
    @inline(__always)
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// Sum of squared differences from `mean`, with SIMD accumulators.
    @inline(__always)
    public static func squaredDeviation(_ x: UnsafePointer<Float>, count: Int, mean: Float) -> Float {
        var lanes = SIMD8<Float>(repeating: 0)
        let center = SIMD8<Float>(repeating: mean)
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= count {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - center
            lanes += d * d
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            let d = x[i] - mean
            total += d * d
            i += 1
        }
        return total
    }

    /// Largest of `count` floats (at least one), with SIMD lanes.
    @inline(__always)
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var i = 0
        var best = -Float.infinity
        if count >= 8 {
            let raw = UnsafeRawPointer(x)
            var lanes = raw.loadUnaligned(as: SIMD8<Float>.self)
            i = 8
            while i + 8 <= count {
                let next = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                lanes.replace(with: next, where: next .> lanes)
                i += 8
            }
            best = lanes.max()
        }
        while i < count {
            best = Swift.max(best, x[i])
            i += 1
        }
        return best
    }

    /// LayerNorm of each row in place: `(x − mean) / sqrt(var + eps) · weight + bias` (biased variance).
    public static func layerNormRows(
        _ data: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float
    ) {
        let inverseWidth = 1 / Float(width)
        for row in 0..<rows {
            let x = data + row * width
            let mean = sum(x, count: width) * inverseWidth
            let squares = squaredDeviation(x, count: width, mean: mean)
            let inverseDeviation = 1 / (squares * inverseWidth + epsilon).squareRoot()
            for i in 0..<width { x[i] = (x[i] - mean) * inverseDeviation * weight[i] + bias[i] }
        }
    }

    /// `erfc(|x|)` with fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit `erfcc`), built on the
    /// polynomial `exp` so a loop over it vectorizes (glibc's `erff` is a call per element).
    @inline(__always)
    public static func erfcOfMagnitude(_ value: Float) -> Float {
        let z = abs(value)
        let t = 1 / (1 + 0.5 * z)
        var p: Float = 0.170_872_77
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        return t * exp(p - z * z)
    }

    /// Exact GELU, `x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`, in place (BERT's `gelu`, not the tanh form).
    /// Written with `erfc(|u|)` so both tails keep their relative precision: `1 + erf(u)` is `2 − erfc(u)` for
    /// u ≥ 0 and `erfc(−u)` for u < 0.
    public static func gelu(_ data: UnsafeMutablePointer<Float>, count: Int) {
        let inverseSqrt2: Float = 0.707_106_781_186_547_5
        for i in 0..<count {
            let x = data[i]
            let tail = erfcOfMagnitude(x * inverseSqrt2)
            data[i] = 0.5 * x * (x >= 0 ? 2 - tail : tail)
        }
    }

    /// Writes `vector` (length `width`) into each of `rows` rows of `target`.
    public static func broadcastRows(_ vector: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows { (target + row * width).update(from: vector, count: width) }
    }

    /// `target[r][i] = source[r][i] + vector[i]` for every row.
    public static func addRows(
        _ source: UnsafePointer<Float>, _ vector: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
        rows: Int, width: Int
    ) {
        for row in 0..<rows {
            let s = source + row * width
            let t = target + row * width
            for i in 0..<width { t[i] = s[i] + vector[i] }
        }
    }

    /// Mean of the rows followed by L2 normalization (sentence-transformers' mean pooling + `Normalize`;
    /// the norm is clamped at 1e-12 as `torch.nn.functional.normalize` does).
    public static func meanPoolNormalized(_ data: UnsafePointer<Float>, rows: Int, width: Int) -> [Float] {
        var pooled = [Float](repeating: 0, count: width)
        pooled.withUnsafeMutableBufferPointer { out in
            guard let p = out.baseAddress else { return }
            for row in 0..<rows {
                let x = data + row * width
                for i in 0..<width { p[i] += x[i] }
            }
            let inverseRows = 1 / Float(max(rows, 1))
            var squares: Float = 0
            for i in 0..<width {
                p[i] *= inverseRows
                squares += p[i] * p[i]
            }
            let scale = 1 / max(squares.squareRoot(), 1e-12)
            for i in 0..<width { p[i] *= scale }
        }
        return pooled
    }
}
