import CustosCore
import Foundation
import CustosML

/// Weighted ridge regression with an unpenalized intercept: minimizes `Σ wₖ (yₖ − a − xₖ·β)² + α‖β‖²`
/// (scikit-learn's `Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight=w)`, the surrogate LIME fits).
struct WeightedRidge: Sendable {
    /// Coefficients, one per column.
    var coefficients: [Double]
    /// The intercept.
    var intercept: Double
    /// Weighted R² of the fit on its training data.
    var score: Double

    /// Fits to `x` (`count × p`, row-major flags or values), `y` and weights `w`.
    init(x: [Double], columns p: Int, y: [Double], weights w: [Double], alpha: Double) throws {
        let count = y.count
        let totalWeight = w.reduce(0, +)
        guard totalWeight > 0 else { throw CustosError(.internal, "ridge fit with zero total weight") }
        var xMean = [Double](repeating: 0, count: p)
        var yMean = 0.0
        for k in 0..<count {
            yMean += w[k] * y[k]
            for j in 0..<p { xMean[j] += w[k] * x[k * p + j] }
        }
        yMean /= totalWeight
        xMean = xMean.map { $0 / totalWeight }
        var gram = DenseMatrix(zeros: p, p)
        var rhs = [Double](repeating: 0, count: p)
        var centered = [Double](repeating: 0, count: p)
        for k in 0..<count {
            for j in 0..<p { centered[j] = x[k * p + j] - xMean[j] }
            let yc = y[k] - yMean
            for a in 0..<p {
                rhs[a] += w[k] * centered[a] * yc
                for b in 0...a { gram[a, b] += w[k] * centered[a] * centered[b] }
            }
        }
        for a in 0..<p {
            gram[a, a] += alpha
            for b in 0..<a { gram[b, a] = gram[a, b] }
        }
        guard let factor = Cholesky(gram) else { throw CustosError(.internal, "ridge normal equations are not positive definite") }
        coefficients = factor.solve(rhs)
        intercept = yMean - zip(xMean, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        var residual = 0.0
        var totalSquares = 0.0
        for k in 0..<count {
            var prediction = intercept
            for j in 0..<p { prediction += coefficients[j] * x[k * p + j] }
            residual += w[k] * (y[k] - prediction) * (y[k] - prediction)
            totalSquares += w[k] * (y[k] - yMean) * (y[k] - yMean)
        }
        score = totalSquares > 0 ? 1 - residual / totalSquares : 1
    }

    /// The fitted value for one row.
    func predict(_ row: [Double]) -> Double {
        zip(row, coefficients).reduce(intercept) { $0 + $1.0 * $1.1 }
    }
}

/// LIME's kernel `√exp(−d² / width²)`.
func limeKernel(distance: Double, width: Double) -> Double {
    (Foundation.exp(-(distance * distance) / (width * width))).squareRoot()
}
