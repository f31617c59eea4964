import CustosCore
import CVectorMath
import Foundation

/// L2-penalized logistic regression with sample weights, fitted by Newton's method to the optimum of
/// scikit-learn's `LogisticRegression(C:, solver: "lbfgs")`:
/// minimize `C · Σᵢ wᵢ · logloss(yᵢ, xᵢ·β + b) + ½‖β‖²` (the intercept `b` is not penalized).
///
/// Newton steps with a backtracking line search converge quadratically, so the result is the optimum itself
/// rather than wherever a first-order method stops at its default tolerance.
public struct LogisticRegression: Sendable, Equatable {
    /// Inverse regularization strength (scikit-learn's `C`); must be positive and finite.
    public var c: Double
    /// Whether to fit an intercept.
    public var fitIntercept: Bool
    /// Newton iterations before giving up.
    public var maxIterations: Int
    /// Converged when the largest gradient component of the objective, divided by `C · Σ w`, is below this.
    public var tolerance: Double

    /// Default settings: `C = 1`, intercept, 100 Newton steps, tolerance 1e-10 (far below any difference a
    /// prediction can show; scikit-learn's lbfgs default stops near 1e-4).
    public init(c: Double = 1, fitIntercept: Bool = true, maxIterations: Int = 100, tolerance: Double = 1e-10) {
        self.c = c
        self.fitIntercept = fitIntercept
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Relative size of a Newton decrement (g·H⁻¹g) below which no step can improve the objective in double precision.
    static let negligibleDecrease = 1e-13

    /// Armijo constant of the backtracking line search.
    static let sufficientDecrease = 1e-4

    /// Fits the model to rows of `x` with binary `labels` and optional non-negative `weights` (default 1).
    ///
    /// - Throws: `invalidInput` when lengths disagree, a value is not finite, a weight is negative, all weights
    ///   are zero, or Newton's method does not converge (reported with the gradient it reached).
    /// - Parameter start: a warm start (for example the previous fit of a sequence of similar problems); the
    ///   optimum is unique, so it changes only how many Newton steps are needed.
    public func fit(_ x: DenseMatrix, labels: [Bool], weights: [Double]? = nil, start: LinearClassifier? = nil) throws -> LinearClassifier {
        guard c > 0, c.isFinite else { throw CustosError(.usage, "C must be positive and finite, got \(c)") }
        guard labels.count == x.rows else {
            throw CustosError(.invalidInput, "\(labels.count) labels for \(x.rows) rows")
        }
        let w = weights ?? [Double](repeating: 1, count: x.rows)
        guard w.count == x.rows else { throw CustosError(.invalidInput, "\(w.count) sample weights for \(x.rows) rows") }
        if let bad = w.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw CustosError(.invalidInput, "sample weight \(w[bad]) is not a finite non-negative number", at: SourceLocation(row: bad + 1))
        }
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            throw CustosError(.invalidInput, "feature value \(x.values[bad]) is not finite",
                              at: SourceLocation(row: bad / max(x.columns, 1) + 1, column: "\(bad % max(x.columns, 1) + 1)"))
        }
        let totalWeight = w.reduce(0, +)
        guard totalWeight > 0 else { throw CustosError(.invalidInput, "all sample weights are zero") }

        let p = x.columns
        // Products over the nonzeros when the design is mostly zeros (one-hot columns), else dense OpenBLAS.
        let design = DesignMatrix(fitIntercept ? Self.appendingOnes(x) : x)
        let q = fitIntercept ? p + 1 : p
        let y = labels.map { $0 ? 1.0 : 0.0 }
        var beta = [Double](repeating: 0, count: q)
        if let start, start.coefficients.count == p, start.coefficients.allSatisfy(\.isFinite), start.intercept.isFinite {
            for j in 0..<p { beta[j] = start.coefficients[j] }
            if fitIntercept { beta[p] = start.intercept }
        }
        var (objective, z) = try self.objective(design, y, w, beta, penalized: p)
        let scale = c * totalWeight
        // One BLAS thread: these tall, thin products are memory-bound, and OpenBLAS' spinning workers fight over
        // the cores when several fits run at once (tests, `fairness compare`), which made them ~20× slower here.
        // OpenBLAS' thread count is process-wide; the encoder sets its own before each use.
        BLASThreads.set(1)
        var workspace: [Double] = []
        for _ in 0..<maxIterations {
            var residual = [Double](repeating: 0, count: x.rows)
            var curvature = [Double](repeating: 0, count: x.rows)
            for i in 0..<x.rows {
                let probability = Self.sigmoid(z[i])
                residual[i] = c * w[i] * (probability - y[i])
                curvature[i] = c * w[i] * probability * (1 - probability)
            }
            var gradient = try design.transposedTimes(residual)
            for j in 0..<p { gradient[j] += beta[j] }
            let largest = gradient.map(abs).max() ?? 0
            if largest / scale < tolerance { return classifier(beta, features: p) }
            var hessian = try design.weightedGram(weights: curvature, workspace: &workspace)
            for j in 0..<p { hessian[j, j] += 1 }
            // A tiny ridge on the intercept only matters when every curvature vanished (all weights on
            // points predicted with certainty); it keeps the factorization defined.
            if fitIntercept { hessian[p, p] += 1e-12 * scale }
            guard let factor = Cholesky(hessian) else {
                throw CustosError(.invalidInput, "logistic regression: the Hessian is not positive definite (all rows predicted with certainty); lower C")
            }
            let step = factor.solve(gradient)
            let slope = -zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            // The Newton decrement bounds what is left to gain; below rounding noise of the objective, this is
            // the optimum even when the gradient test sits just above its threshold.
            if -slope < Self.negligibleDecrease * max(1, abs(objective)) { return classifier(beta, features: p) }
            var t = 1.0
            var accepted = false
            for _ in 0..<60 {
                let candidate = zip(beta, step).map { $0 - t * $1 }
                let (value, candidateZ) = try self.objective(design, y, w, candidate, penalized: p)
                if value <= objective + Self.sufficientDecrease * t * slope {
                    beta = candidate
                    objective = value
                    z = candidateZ
                    accepted = true
                    break
                }
                t *= 0.5
            }
            // No decrease is possible any more: the objective is flat to machine precision, so this is the optimum.
            if !accepted { return classifier(beta, features: p) }
        }
        let residual = (0..<x.rows).map { c * w[$0] * (Self.sigmoid(z[$0]) - y[$0]) }
        var gradient = try design.transposedTimes(residual)
        for j in 0..<p { gradient[j] += beta[j] }
        let largest = (gradient.map(abs).max() ?? 0) / scale
        if largest < 1e-6 { return classifier(beta, features: p) }
        throw CustosError(
            .invalidInput,
            "logistic regression did not converge in \(maxIterations) Newton steps (scaled gradient \(largest)); the classes may be separable: lower C")
    }

    func classifier(_ beta: [Double], features p: Int) -> LinearClassifier {
        LinearClassifier(coefficients: Array(beta[0..<p]), intercept: fitIntercept ? beta[p] : 0)
    }

    /// `C · Σ wᵢ · logloss + ½‖β[0..<penalized]‖²`, and the decision values `z` it was computed from.
    func objective(_ design: DesignMatrix, _ y: [Double], _ w: [Double], _ beta: [Double], penalized: Int) throws -> (Double, [Double]) {
        let z = try design.times(beta)
        var loss = 0.0
        for i in 0..<y.count where w[i] > 0 {
            loss += w[i] * (Self.softplus(z[i]) - y[i] * z[i])
        }
        var penalty = 0.0
        for j in 0..<penalized { penalty += beta[j] * beta[j] }
        return (c * loss + 0.5 * penalty, z)
    }

    static func appendingOnes(_ x: DenseMatrix) -> DenseMatrix {
        var out = DenseMatrix(zeros: x.rows, x.columns + 1)
        for i in 0..<x.rows {
            for j in 0..<x.columns { out.values[i * (x.columns + 1) + j] = x.values[i * x.columns + j] }
            out.values[i * (x.columns + 1) + x.columns] = 1
        }
        return out
    }

    /// `1 / (1 + e^(−z))`, without overflow. Inlinable: explainers call it once per coalition and background row.
    @inlinable @inline(__always)
    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
    }

    /// The mean of `sigmoid` over many margins (count > 0), four at a time with glibc's AVX2 vector exp where the
    /// CPU has it (at most 4 ulp per exponential; 3× the scalar loop's throughput, see docs/explain.md). Explainers
    /// average it over the background rows of every coalition: it is their innermost loop.
    public static func meanSigmoid(_ margins: UnsafeBufferPointer<Double>) -> Double {
        guard let base = margins.baseAddress, !margins.isEmpty else { return .nan }
        return custos_mean_sigmoid(base, margins.count)
    }

    /// `log(1 + e^z)`, without overflow.
    @inline(__always)
    static func softplus(_ z: Double) -> Double {
        max(z, 0) + Foundation.log1p(Foundation.exp(-abs(z)))
    }
}

/// A fitted linear binary classifier: `P(y = 1 | x) = σ(x·β + b)`.
public struct LinearClassifier: Sendable, Equatable, Codable {
    /// One coefficient per feature, in feature order.
    public var coefficients: [Double]
    /// The intercept `b`.
    public var intercept: Double

    /// Creates a classifier from its parameters.
    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// The decision values `x·β + b`, one per row.
    public func decision(_ x: DenseMatrix) throws -> [Double] {
        guard x.columns == coefficients.count else {
            throw CustosError(.invalidInput, "the model has \(coefficients.count) features but the data has \(x.columns)")
        }
        return try BLASKernels.gemv(x, coefficients).map { $0 + intercept }
    }

    /// `P(y = 1 | x)` of one row (as many values as coefficients; extra values are ignored, missing ones count as 0).
    public func probability(_ row: [Double]) -> Double {
        var z = intercept
        for (coefficient, value) in zip(coefficients, row) { z += coefficient * value }
        return LogisticRegression.sigmoid(z)
    }

    /// `P(y = 1 | x)` per row.
    public func probabilities(_ x: DenseMatrix) throws -> [Double] {
        try decision(x).map(LogisticRegression.sigmoid)
    }

    /// The class per row: positive when the probability exceeds ½ (decision value > 0), as scikit-learn's `predict`.
    public func predict(_ x: DenseMatrix) throws -> [Bool] {
        try decision(x).map { $0 > 0 }
    }
}
