import CBFloat16
import CustosCore
@testable import CustosML
import Testing

@Suite("bfloat16 products and the encoder's bfloat16 precision")
struct BFloat16Tests {
    @Test("rounding to bfloat16 is to nearest with ties to even; infinities and NaN survive")
    func rounding() {
        // bfloat16 keeps 7 fraction bits: next to 1 the spacing is 2⁻⁷.
        let values: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -2.5, .greatestFiniteMagnitude, .infinity, .nan]
        let rounded = BFloat16Weight.rounded(values)
        #expect(rounded[0] == 1, "a tie goes to the even neighbour below")
        #expect(rounded[1] == 1 + 0x1p-6, "a tie goes to the even neighbour above")
        #expect(rounded[2] == 1 + 0x1p-7, "past the tie rounds up")
        #expect(rounded[3] == -2.5)
        #expect(rounded[4] == .infinity, "past bfloat16's largest finite value (0x1.fep127) rounds to infinity")
        #expect(rounded[5] == .infinity)
        #expect(rounded[6].isNaN)
    }

    @Test("products equal float64 sums over the rounded inputs, partial row tiles included, nothing written past the output")
    func products() throws {
        var generator = SeededGenerator(seed: 11)
        // Rows not a multiple of 16 exercise the partial last tile; (70, 384, 1152) is a MiniLM Q/K/V product.
        // Every kernel this CPU has: the AMX tiles, AVX512_BF16 dot products, sgemm over rounded inputs.
        let kernels = BFloat16Kernel.allCases.filter { kernel in
            switch kernel {
            case .matrixTiles: BFloat16Kernel.best == .matrixTiles
            case .vectorDotProducts: custos_bf16_dot_available() != 0
            case .sgemm: true
            }
        }
        // (100, 1536, 384) is the feed-forward output product: row chunks, a short last block of rows.
        for kernel in kernels {
            for (m, k, n) in [(37, 64, 96), (16, 32, 32), (5, 96, 64), (70, 384, 1152), (3, 40, 24), (100, 1536, 384)] {
                let x = (0..<(m * k)).map { _ in Float.random(in: -2...2, using: &generator) }
                let w = (0..<(n * k)).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
                let start = (0..<(m * n)).map { Float($0 % 7) - 3 }
                let weight = BFloat16Weight(w, outputs: n, inputs: k, kernel: kernel)
                #expect(weight.kernel == (n % 32 == 0 && k % 32 == 0 ? kernel : .sgemm))
                let guardCount = 64
                var c = start + [Float](repeating: 12345, count: guardCount)
                let packed = weight.kernel.readsPackedWeight
                let scratch = BFloat16Scratch(rows: m, inputs: k, outputs: n, packed: packed, rounded: !packed)
                x.withUnsafeBufferPointer { xp in
                    c.withUnsafeMutableBufferPointer { cp in
                        weight.accumulate(xp.baseAddress!, rows: m, into: cp.baseAddress!, scratch: scratch)
                    }
                }
                let xr = BFloat16Weight.rounded(x), wr = BFloat16Weight.rounded(w)
                var worst = 0.0, worstUnrounded = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = Double(start[i * n + j]), unrounded = sum, magnitude = 1 + abs(sum)
                        for t in 0..<k {
                            sum += Double(xr[i * k + t]) * Double(wr[j * k + t])
                            magnitude += abs(Double(xr[i * k + t]) * Double(wr[j * k + t]))
                            unrounded += Double(x[i * k + t]) * Double(w[j * k + t])
                        }
                        // Float32 summation error, relative to the sum of the terms' magnitudes.
                        worst = max(worst, abs(Double(c[i * n + j]) - sum) / magnitude)
                        worstUnrounded = max(worstUnrounded, abs(Double(c[i * n + j]) - unrounded) / (1 + abs(unrounded)))
                    }
                }
                #expect(worst < 1e-6, "\(m)×\(k)·\(k)×\(n), \(weight.kernel): \(worst)")
                // The rounding is really there: float32 inputs give visibly different sums.
                #expect(worstUnrounded > 1e-4, "\(m)×\(k)·\(k)×\(n)")
                #expect(c[(m * n)...].allSatisfy { $0 == 12345 }, "\(m)×\(k)·\(k)×\(n) wrote past its output")
            }
        }
    }

    @Test("bfloat16 MiniLM embeddings stay within cosine 0.9995 of float32")
    func embeddings() throws {
        try #require(Fixtures.modelDirectory != nil && Fixtures.minilm != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let directory = try #require(Fixtures.modelDirectory)
        let reference = try #require(Fixtures.minilm)
        let float32 = try Embedder(directory: directory)
        let bfloat16 = try Embedder(directory: directory, precision: .bfloat16)
        #expect(bfloat16.encoder.precision == .bfloat16 && float32.encoder.bfloat16Kernel == nil)
        let texts = reference.sentences.map(\.text).filter { !$0.isEmpty }
        let a = try float32.embed(texts).map(\.vector)
        let b = try bfloat16.embed(texts).map(\.vector)
        func cosine(_ u: [Float], _ v: [Float]) -> Float { zip(u, v).map(*).reduce(0, +) }
        let worst = zip(a, b).map { cosine($0, $1) }.min() ?? 0
        #expect(worst >= 0.9995 && worst < 1, "worst cosine \(worst)")
    }
}
