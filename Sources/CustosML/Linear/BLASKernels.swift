import COpenBLAS
import CustosCore

/// Shape-checked double-precision BLAS calls (OpenBLAS) used by the tabular models.
public enum BLASKernels {
    /// `A·x` (or `Aᵀ·x` when `transposed`) for a row-major `A`.
    public static func gemv(_ a: DenseMatrix, _ x: [Double], transposed: Bool = false) throws -> [Double] {
        BLASCore.prepare()
        let (inner, outer) = transposed ? (a.rows, a.columns) : (a.columns, a.rows)
        guard x.count == inner else {
            throw CustosError(.internal, "gemv: a \(a.rows)×\(a.columns) matrix\(transposed ? " (transposed)" : "") times a vector of \(x.count)")
        }
        var y = [Double](repeating: 0, count: outer)
        guard a.rows > 0, a.columns > 0 else { return y }
        a.values.withUnsafeBufferPointer { av in
            x.withUnsafeBufferPointer { xv in
                y.withUnsafeMutableBufferPointer { yv in
                    cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.columns),
                                1, av.baseAddress, Int32(a.columns), xv.baseAddress, 1, 0, yv.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// `A·B` for row-major matrices.
    public static func gemm(_ a: DenseMatrix, _ b: DenseMatrix) throws -> DenseMatrix {
        BLASCore.prepare()
        guard a.columns == b.rows else {
            throw CustosError(.internal, "gemm: \(a.rows)×\(a.columns) times \(b.rows)×\(b.columns)")
        }
        var c = DenseMatrix(zeros: a.rows, b.columns)
        guard a.rows > 0, b.columns > 0, a.columns > 0 else { return c }
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                c.values.withUnsafeMutableBufferPointer { cv in
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(a.rows), Int32(b.columns), Int32(a.columns),
                                1, av.baseAddress, Int32(a.columns), bv.baseAddress, Int32(b.columns), 0, cv.baseAddress, Int32(b.columns))
                }
            }
        }
        return c
    }

    /// The weighted Gram matrix `Aᵀ·diag(d)·A` (symmetric, both triangles filled); `d` must be non-negative.
    public static func weightedGram(_ a: DenseMatrix, weights d: [Double]) throws -> DenseMatrix {
        var workspace: [Double] = []
        return try weightedGram(a, weights: d, workspace: &workspace)
    }

    /// `weightedGram(_:weights:)` reusing `workspace` for the scaled copy of `a` (iterative solvers call it often).
    public static func weightedGram(_ a: DenseMatrix, weights d: [Double], workspace scaled: inout [Double]) throws -> DenseMatrix {
        BLASCore.prepare()
        guard d.count == a.rows else {
            throw CustosError(.internal, "weightedGram: \(d.count) weights for \(a.rows) rows")
        }
        if scaled.count != a.values.count { scaled = [Double](repeating: 0, count: a.values.count) }
        scaled.withUnsafeMutableBufferPointer { out in
            a.values.withUnsafeBufferPointer { source in
                for i in 0..<a.rows {
                    let s = d[i].squareRoot()
                    let base = i * a.columns
                    for j in 0..<a.columns { out[base + j] = source[base + j] * s }
                }
            }
        }
        let p = a.columns
        var g = DenseMatrix(zeros: p, p)
        guard a.rows > 0, p > 0 else { return g }
        scaled.withUnsafeBufferPointer { sv in
            g.values.withUnsafeMutableBufferPointer { gv in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(p), Int32(a.rows), 1, sv.baseAddress, Int32(p),
                            0, gv.baseAddress, Int32(p))
            }
        }
        for i in 0..<p { for j in 0..<i { g.values[i * p + j] = g.values[j * p + i] } }
        return g
    }
}
