import CBFloat16
import COpenBLAS

/// Where an encoder's bfloat16 products run.
public enum BFloat16Kernel: String, Sendable, CaseIterable {
    /// Intel AMX tiles (Sapphire Rapids and later): the fastest.
    case matrixTiles = "amx-tiles"
    /// AVX512_BF16 dot products, `vdpbf16ps` (Intel Cooper Lake, AMD Zen 4 and later): about twice float32's rate.
    case vectorDotProducts = "avx512-bf16"
    /// `sgemm` over inputs and weights rounded to bfloat16: the same numbers at float32 speed.
    case sgemm

    /// The fastest kernel this process can use (asked of the CPU, and for the tiles of Linux, once).
    public static let best: BFloat16Kernel =
        custos_bf16_amx_available() != 0 ? .matrixTiles
        : custos_bf16_dot_available() != 0 ? .vectorDotProducts : .sgemm

    /// Whether the kernel reads the weight packed by `custos_bf16_pack`.
    var readsPackedWeight: Bool { self != .sgemm }
}

/// A linear layer's weight for products in bfloat16: inputs and weight rounded to bfloat16 (8-bit significand,
/// to nearest, ties to even), products summed in float32.
///
/// On a CPU with AMX or AVX512_BF16 the weight is packed once into the tile layout (`custos_bf16_pack`, read by both
/// kernels); elsewhere, or when a dimension is not a multiple of 32, the weight is kept rounded as float32 and each
/// product rounds its input and calls `sgemm`. The kernels agree up to float32 summation order.
struct BFloat16Weight: Sendable {
    /// Rows of the weight (`[outputs, inputs]`, PyTorch's layout).
    let outputs: Int
    /// Columns of the weight.
    let inputs: Int
    /// Where this weight's products run.
    let kernel: BFloat16Kernel
    /// The tile layout when the kernel reads it, else empty.
    private let packed: [UInt16]
    /// The weight rounded to bfloat16 precision when the products run through `sgemm`, else empty.
    private let rounded: [Float]

    /// Prepares `weight` (`outputs × inputs`, row-major) for `kernel` (tests pick a slower one than the CPU's best to
    /// check it); dimensions that are not multiples of 32 fall back to `.sgemm`.
    init(_ weight: [Float], outputs: Int, inputs: Int, kernel: BFloat16Kernel = .best) {
        precondition(weight.count == outputs * inputs, "weight shape")
        self.outputs = outputs
        self.inputs = inputs
        if kernel.readsPackedWeight && outputs % 32 == 0 && inputs % 32 == 0 {
            var packed = [UInt16](repeating: 0, count: outputs * inputs)
            let done = weight.withUnsafeBufferPointer { w in
                packed.withUnsafeMutableBufferPointer { p in
                    custos_bf16_pack(w.baseAddress, outputs, inputs, p.baseAddress)
                }
            }
            if done == 1 {
                self.kernel = kernel
                self.packed = packed
                self.rounded = []
                return
            }
        }
        self.kernel = .sgemm
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

    /// `output[rows, outputs] += bf16(input[rows, inputs]) · bf16(weight)ᵀ`; `scratch` must fit `rows`.
    func accumulate(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                    scratch: BFloat16Scratch) {
        guard rows > 0 else { return }
        switch kernel {
        case .matrixTiles:
            packed.withUnsafeBufferPointer { p in
                custos_bf16_gemm_amx(input, rows, inputs, p.baseAddress, outputs, output, scratch.tileInput, scratch.tileSums)
            }
        case .vectorDotProducts:
            packed.withUnsafeBufferPointer { p in
                custos_bf16_gemm_dot(input, rows, inputs, p.baseAddress, outputs, output, scratch.tileInput)
            }
        case .sgemm:
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
    /// The input converted to bfloat16, padded to whole 16-row tiles (for either packed kernel).
    let tileInput: UnsafeMutablePointer<UInt16>
    /// Sums of a partial last 16-row tile.
    let tileSums: UnsafeMutablePointer<Float>
    /// The input rounded to bfloat16 precision, for `sgemm`.
    let roundedInput: UnsafeMutablePointer<Float>

    /// Room for products of up to `rows` rows, `inputs` inputs and `outputs` outputs, with a packed weight
    /// (`packed`), through `sgemm` on rounded inputs (`rounded`), or both.
    init(rows: Int, inputs: Int, outputs: Int, packed: Bool, rounded: Bool) {
        let paddedRows = (rows + 15) / 16 * 16
        tileInput = .allocate(capacity: packed ? paddedRows * inputs : 1)
        tileSums = .allocate(capacity: packed ? 16 * outputs : 1)
        roundedInput = .allocate(capacity: rounded ? rows * inputs : 1)
    }

    deinit {
        tileInput.deallocate()
        tileSums.deallocate()
        roundedInput.deallocate()
    }
}
