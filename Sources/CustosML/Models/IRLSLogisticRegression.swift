import CustosCore
import Foundation

/// L2-regularized binary logistic regression fitted by Newton's method (IRLS), deterministic and exact to the
/// solver's tolerance: p(y = 1 | x) = 1 / (1 + exp(-(w·x + b))). The intercept is not penalized.
public struct IRLSLogisticRegression: Sendable, Codable, Equatable {
    /// Feature weights.
    public var weights: [Double]
    /// Intercept.
    public var bias: Double

    /// A model with given parameters.
    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// Decision value w·x + b.
    public func decision(_ x: [Double]) -> Double {
        var d = bias
        for (w, v) in zip(weights, x) { d += w * v }
        return d
    }

    /// Probability of the positive class.
    public func probability(_ x: [Double]) -> Double { 1 / (1 + exp(-decision(x))) }

    /// Fits to rows `x` with labels `y`, penalty `l2`·|w|²/2; Newton steps until the largest update is below
    /// `tolerance` or `maxIterations` is reached.
    public static func fit(
        _ x: [[Double]], _ y: [Bool], l2: Double = 1, maxIterations: Int = 50, tolerance: Double = 1e-8
    ) throws -> IRLSLogisticRegression {
        guard !x.isEmpty, x.count == y.count else {
            throw CustosError(.invalidInput, "logistic regression needs as many labels as rows, and at least one row")
        }
        let d = x[0].count
        guard x.allSatisfy({ $0.count == d }) else { throw CustosError(.invalidInput, "rows have different lengths") }
        let n = d + 1  // parameters: weights then bias
        var theta = [Double](repeating: 0, count: n)
        for _ in 0..<maxIterations {
            var gradient = [Double](repeating: 0, count: n)
            var hessian = [Double](repeating: 0, count: n * n)
            for (row, label) in zip(x, y) {
                var z = theta[d]
                for j in 0..<d { z += theta[j] * row[j] }
                let p = 1 / (1 + exp(-z))
                let r = p - (label ? 1 : 0)
                let w = max(p * (1 - p), 1e-12)
                for j in 0..<d { gradient[j] += r * row[j] }
                gradient[d] += r
                for j in 0..<n {
                    let xj = j < d ? row[j] : 1
                    let scaled = w * xj
                    for k in j..<n { hessian[j * n + k] += scaled * (k < d ? row[k] : 1) }
                }
            }
            for j in 0..<d {
                gradient[j] += l2 * theta[j]
                hessian[j * n + j] += l2
            }
            hessian[d * n + d] += 1e-9
            for j in 0..<n { for k in 0..<j { hessian[j * n + k] = hessian[k * n + j] } }
            let step = try solveSymmetricPositiveDefinite(hessian, gradient, n: n)
            var largest = 0.0
            for j in 0..<n {
                theta[j] -= step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < tolerance { break }
        }
        return IRLSLogisticRegression(weights: Array(theta[0..<d]), bias: theta[d])
    }

    /// Solves A·s = b for a symmetric positive definite A (row-major n×n) by Cholesky factorization.
    static func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double], n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { throw CustosError(.internal, "logistic regression: Hessian is not positive definite") }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * z[k] }
            z[i] = sum / l[i * n + i]
        }
        var s = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = z[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * s[k] }
            s[i] = sum / l[i * n + i]
        }
        return s
    }
}
