import CBFloat16
import COpenBLAS

/// A linear layer's weight for products in bfloat16: inputs and weight rounded to bfloat16 (8-bit significand,
/// to nearest, ties to even), products summed in float32.
///
/// On a CPU with AMX (Intel Sapphire Rapids and later) the weight is packed once into the tile layout and each
/// product runs on the tiles (`custos_bf16_gemm_amx`); elsewhere, or when a dimension is not a multiple of 32, the
/// weight is kept rounded as float32 and each product rounds its input and calls `sgemm`: the same numbers up to
/// float32 summation order, at float32 speed.
struct BFloat16Weight: Sendable {
    /// Rows of the weight (`[outputs, inputs]`, PyTorch's layout).
    let outputs: Int
    /// Columns of the weight.
    let inputs: Int
    /// The tile layout when the products run on AMX, else empty.
    private let packed: [UInt16]
    /// The weight rounded to bfloat16 precision when they run through `sgemm`, else empty.
    private let rounded: [Float]

    /// Whether this process can use the AMX tiles (asked of the CPU and Linux once).
    static let tilesAvailable: Bool = custos_bf16_amx_available() != 0

    /// Prepares `weight` (`outputs × inputs`, row-major); `tiles: false` keeps it off the AMX tiles (tests use it to
    /// run the `sgemm` path on a machine with AMX).
    init(_ weight: [Float], outputs: Int, inputs: Int, tiles: Bool = tilesAvailable) {
        precondition(weight.count == outputs * inputs, "weight shape")
        self.outputs = outputs
        self.inputs = inputs
        if tiles && Self.tilesAvailable && outputs % 32 == 0 && inputs % 32 == 0 {
            var packed = [UInt16](repeating: 0, count: outputs * inputs)
            let done = weight.withUnsafeBufferPointer { w in
                packed.withUnsafeMutableBufferPointer { p in
                    custos_bf16_pack(w.baseAddress, outputs, inputs, p.baseAddress)
                }
            }
            if done == 1 {
                self.packed = packed
                self.rounded = []
                return
            }
        }
        self.packed = []
        self.rounded = Self.rounded(weight)
    }

    /// `values` rounded to bfloat16 precision (to nearest, ties to even; NaN stays NaN), as floats.
    static func rounded(_ values: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in custos_bf16_round(v.baseAddress, o.baseAddress, values.count) }
        }
        return out
    }

    /// Whether the products run on AMX tiles.
    var usesTiles: Bool { !packed.isEmpty }

    /// `output[rows, outputs] += bf16(input[rows, inputs]) · bf16(weight)ᵀ`; `scratch` must fit `rows`.
    func accumulate(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                    scratch: BFloat16Scratch) {
        guard rows > 0 else { return }
        if usesTiles {
            packed.withUnsafeBufferPointer { p in
                custos_bf16_gemm_amx(input, rows, inputs, p.baseAddress, outputs, output, scratch.tileInput, scratch.tileSums)
            }
        } else {
            custos_bf16_round(input, scratch.roundedInput, rows * inputs)
            rounded.withUnsafeBufferPointer { w in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                            1, scratch.roundedInput, Int32(inputs), w.baseAddress, Int32(inputs), 1, output, Int32(outputs))
            }
        }
    }
}

/// Working memory of `BFloat16Weight.accumulate` for one forward pass (one thread).
final class BFloat16Scratch {
    /// The input converted to bfloat16, padded to whole 16-row tiles.
    let tileInput: UnsafeMutablePointer<UInt16>
    /// Sums of a partial last 16-row tile.
    let tileSums: UnsafeMutablePointer<Float>
    /// The input rounded to bfloat16 precision, for `sgemm`.
    let roundedInput: UnsafeMutablePointer<Float>

    /// Room for products of up to `rows` rows, `inputs` inputs and `outputs` outputs, on the tiles, through
    /// `sgemm` on rounded inputs, or both.
    init(rows: Int, inputs: Int, outputs: Int, tiles: Bool, rounded: Bool) {
        let paddedRows = (rows + 15) / 16 * 16
        tileInput = .allocate(capacity: tiles ? paddedRows * inputs : 1)
        tileSums = .allocate(capacity: tiles ? 16 * outputs : 1)
        roundedInput = .allocate(capacity: rounded ? rows * inputs : 1)
    }

    deinit {
        tileInput.deallocate()
        tileSums.deallocate()
        roundedInput.deallocate()
    }
}
