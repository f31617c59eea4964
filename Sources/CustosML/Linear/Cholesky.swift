import CustosCore

/// Cholesky factorization `A = L·Lᵀ` of a small symmetric positive definite matrix, and solves with it.
public struct Cholesky: Sendable {
    /// The lower triangular factor, row-major.
    public let lower: DenseMatrix

    /// Factorizes `a`; returns `nil` when it is not (numerically) positive definite.
    public init?(_ a: DenseMatrix) {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix")
        let n = a.rows
        var l = DenseMatrix(zeros: n, n)
        for j in 0..<n {
            var diagonal = a[j, j]
            for k in 0..<j { diagonal -= l[j, k] * l[j, k] }
            guard diagonal > 0, diagonal.isFinite else { return nil }
            let root = diagonal.squareRoot()
            l[j, j] = root
            for i in (j + 1)..<max(n, j + 1) {
                var sum = a[i, j]
                for k in 0..<j { sum -= l[i, k] * l[j, k] }
                l[i, j] = sum / root
            }
        }
        lower = l
    }

    /// The solution `x` of `A·x = b`.
    public func solve(_ b: [Double]) -> [Double] {
        let n = lower.rows
        precondition(b.count == n, "right-hand side length must match the matrix")
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= lower[i, k] * y[k] }
            y[i] = sum / lower[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<max(n, i + 1) { sum -= lower[k, i] * y[k] }
            y[i] = sum / lower[i, i]
        }
        return y
    }
}
