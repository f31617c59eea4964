import CustosCore
import CustosML
import Foundation

/// The exponentiated gradient reduction (Agarwal et al. 2018) for binary classification, step for step as
/// Fairlearn's `ExponentiatedGradient` (0.15): multiplicative-weights updates of the Lagrange multipliers, a weighted
/// logistic regression as the best-response oracle, the linear-program step over the classifiers found so far,
/// and the same stopping rule, learning-rate shrinking and choice of the best iterate.
public struct ExponentiatedGradient: Sendable {
    /// The constraint.
    public var constraint: ParityConstraint.Kind
    /// Allowed constraint violation ε (Fairlearn's `eps`, default 0.01); also the difference bound.
    public var eps: Double
    /// Iteration limit (Fairlearn's `max_iter`, default 50).
    public var maxIterations: Int
    /// Initial learning rate η₀ (Fairlearn's `eta0`, default 2).
    public var eta0: Double
    /// Convergence threshold ν; `nil` derives it from the data as Fairlearn does.
    public var nu: Double?
    /// The oracle: logistic regression settings.
    public var learner: LogisticRegression

    /// Fairlearn's defaults: eps 0.01, 50 iterations, η₀ = 2.
    public init(constraint: ParityConstraint.Kind, eps: Double = 0.01, maxIterations: Int = 50, eta0: Double = 2,
                nu: Double? = nil, learner: LogisticRegression = LogisticRegression()) {
        self.constraint = constraint
        self.eps = eps
        self.maxIterations = maxIterations
        self.eta0 = eta0
        self.nu = nu
        self.learner = learner
    }

    // Fairlearn's constants (reductions/_exponentiated_gradient/_constants.py).
    static let accuracyMultiplier = 0.5
    static let regretCheckStart = 5.0
    static let regretCheckIncrease = 1.6
    static let shrinkRegret = 0.8
    static let shrinkEta = 0.8
    static let minimumIterations = 5
    static let precision = 1e-8

    /// What a fit found.
    public struct Result: Sendable {
        /// The randomized classifier: members with their probabilities (zero-weight members dropped).
        public var ensemble: [EnsembleMember]
        /// Duality gap of the chosen iterate.
        public var bestGap: Double
        /// The chosen iterate.
        public var bestIteration: Int
        /// The last iterate.
        public var lastIteration: Int
        /// Oracle (logistic regression) calls.
        public var oracleCalls: Int

        /// The probability of a positive prediction per row (the randomized classifier's expectation).
        public func positiveProbabilities(_ x: DenseMatrix) throws -> [Double] {
            try EnsembleMember.positiveProbabilities(ensemble, x)
        }
    }

    /// A classifier found by the oracle, with its error and constraint values on the training data.
    struct Hypothesis {
        var member: EnsembleMember
        var error: Double
        var gamma: [Double]
    }

    /// Runs the reduction on the design matrix `x`, binary `labels` and sensitive `groups`.
    public func fit(_ x: DenseMatrix, labels: [Bool], groups: [String], progress: ((Int) -> Void)? = nil) throws -> Result {
        guard labels.count == x.rows, groups.count == x.rows, x.rows > 0 else {
            throw CustosError(.invalidInput, "exponentiated gradient: \(x.rows) rows, \(labels.count) labels, \(groups.count) sensitive values")
        }
        guard eps > 0, eps.isFinite, maxIterations > 0, eta0 > 0 else {
            throw CustosError(.usage, "exponentiated gradient needs eps > 0, max_iter > 0 and eta0 > 0")
        }
        let names = Array(Set(groups)).sorted()
        let groupIndex = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let moment = ParityConstraint(kind: constraint, bound: eps, labels: labels, groups: groups.map { groupIndex[$0] ?? 0 }, groupCount: names.count)
        var lagrangian = Lagrangian(x: x, labels: labels, moment: moment, bound: 1 / eps, learner: learner)
        let b = 1 / eps
        let k = moment.index.count
        var theta = [Double](repeating: 0, count: k)
        var qSum: [Int: Double] = [:]
        var gapsEG: [Double] = []
        var gaps: [Double] = []
        var qs: [[Double]] = []
        var lastRegretChecked = Self.regretCheckStart
        var lastGap = Double.infinity
        var lambdaSum = [Double](repeating: 0, count: k)
        var eta = eta0 / b
        var nu = self.nu ?? 0
        for t in 0..<maxIterations {
            progress?(t)
            let expTheta = theta.map { Foundation.exp($0) }
            let denominator = 1 + expTheta.reduce(0, +)
            let lambda = expTheta.map { b * $0 / denominator }
            for j in 0..<k { lambdaSum[j] += lambda[j] }
            let lambdaEG = lambdaSum.map { $0 / Double(t + 1) }
            let hIndex = try lagrangian.bestResponse(lambda)
            if t == 0 {
                if self.nu == nil {
                    let predictions = try lagrangian.predictions(of: hIndex)
                    let deviations = (0..<labels.count).map { abs((predictions[$0] ? 1.0 : 0) - (labels[$0] ? 1 : 0)) }
                    nu = Self.accuracyMultiplier * Self.sampleStandardDeviation(deviations) / Double(labels.count).squareRoot()
                }
                eta = eta0 / b
            }
            qSum[hIndex, default: 0] += 1
            let gamma = lagrangian.hypotheses[hIndex].gamma
            let total = qSum.values.reduce(0, +)
            let qEG = (0..<lagrangian.hypotheses.count).map { (qSum[$0] ?? 0) / total }
            let gapEG = try lagrangian.gap(qEG, lambdaEG, nu: nu)
            gapsEG.append(gapEG)
            var gapLP = Double.infinity
            var qLP: [Double] = []
            if t > 0 {
                (qLP, gapLP) = try lagrangian.linearProgramStep(nu: nu)
            }
            if gapEG < gapLP {
                qs.append(qEG)
                gaps.append(gapEG)
            } else {
                qs.append(qLP)
                gaps.append(gapLP)
            }
            if gaps[t] < nu, t >= Self.minimumIterations { break }
            if Double(t) >= lastRegretChecked * Self.regretCheckIncrease {
                let bestGap = gapsEG.min() ?? .infinity
                if bestGap > lastGap * Self.shrinkRegret { eta *= Self.shrinkEta }
                lastRegretChecked = Double(t)
                lastGap = bestGap
            }
            for j in 0..<k { theta[j] += eta * (gamma[j] - eps) }
        }
        let minimum = gaps.min() ?? 0
        let best = gaps.lastIndex { $0 <= minimum + Self.precision } ?? 0
        let weights = qs[best]
        let ensemble = lagrangian.hypotheses.enumerated().compactMap { j, h -> EnsembleMember? in
            let w = j < weights.count ? weights[j] : 0
            guard w > 0 else { return nil }
            var member = h.member
            member.weight = w
            return member
        }
        return Result(ensemble: ensemble, bestGap: gaps[best], bestIteration: best, lastIteration: gaps.count - 1,
                      oracleCalls: lagrangian.oracleCalls)
    }

    /// Standard deviation with n − 1 in the denominator (pandas' default).
    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}

/// Fairlearn's `_Lagrangian`: the classifiers found so far and the game's values.
struct Lagrangian {
    let x: DenseMatrix
    let labels: [Bool]
    let moment: ParityConstraint
    let bound: Double
    let learner: LogisticRegression
    var hypotheses: [ExponentiatedGradient.Hypothesis] = []
    var cachedPredictions: [[Bool]] = []
    var oracleCalls = 0
    /// The last logistic regression the oracle fitted: the warm start of the next (the multipliers change little
    /// between calls, so Newton needs a few steps instead of ten).
    var lastFit: LinearClassifier?
    var lastLinearProgramCount = 0
    var lastLinearProgramResult: ([Double], Double) = ([], .infinity)

    init(x: DenseMatrix, labels: [Bool], moment: ParityConstraint, bound: Double, learner: LogisticRegression) {
        self.x = x
        self.labels = labels
        self.moment = moment
        self.bound = bound
        self.learner = learner
    }

    func predictions(of index: Int) throws -> [Bool] { cachedPredictions[index] }

    /// Error rate of hard predictions.
    func error(_ predictions: [Bool]) -> Double {
        Double(zip(predictions, labels).filter { $0 != $1 }.count) / Double(labels.count)
    }

    /// Fits the oracle to the relabelled, reweighted data for `lambda`.
    mutating func callOracle(_ lambda: [Double]) throws -> (EnsembleMember, [Bool]) {
        let constraintWeights = moment.signedWeights(lambda)
        let signed = (0..<labels.count).map { (labels[$0] ? 1.0 : -1.0) + constraintWeights[$0] }
        let relabelled = signed.map { $0 > 0 }
        var weights = signed.map(abs)
        let total = weights.reduce(0, +)
        oracleCalls += 1
        let positives = relabelled.filter { $0 }.count
        if positives == 0 || positives == relabelled.count || total == 0 {
            let constant = positives > 0
            return (EnsembleMember(weight: 0, constant: constant), [Bool](repeating: constant, count: labels.count))
        }
        let scale = Double(labels.count) / total
        for i in weights.indices { weights[i] *= scale }
        let classifier = try learner.fit(x, labels: relabelled, weights: weights, start: lastFit)
        lastFit = classifier
        return (EnsembleMember(weight: 0, classifier: classifier), try classifier.predict(x))
    }

    /// Fairlearn's `best_h`: the oracle's classifier for `lambda`, kept when it beats every stored one by more than
    /// the precision; returns the index of the best classifier.
    mutating func bestResponse(_ lambda: [Double]) throws -> Int {
        let (member, predictions) = try callOracle(lambda)
        let soft = predictions.map { $0 ? 1.0 : 0 }
        let hError = error(predictions)
        let hGamma = moment.gamma(soft)
        let hValue = hError + zip(hGamma, lambda).reduce(0) { $0 + $1.0 * $1.1 }
        var bestIndex = -1
        var bestValue = Double.infinity
        for (j, h) in hypotheses.enumerated() {
            let value = h.error + zip(h.gamma, lambda).reduce(0) { $0 + $1.0 * $1.1 }
            if value < bestValue { bestValue = value; bestIndex = j }
        }
        if hValue < bestValue - ExponentiatedGradient.precision {
            hypotheses.append(ExponentiatedGradient.Hypothesis(member: member, error: hError, gamma: hGamma))
            cachedPredictions.append(predictions)
            bestIndex = hypotheses.count - 1
        }
        return bestIndex
    }

    /// `(L, L_high)` of the mixture `q` for multipliers `lambda` (projected).
    func evaluate(_ q: [Double], _ lambda: [Double]) -> (value: Double, high: Double) {
        var error = 0.0
        var gamma = [Double](repeating: 0, count: moment.index.count)
        for (j, weight) in q.enumerated() where weight != 0 {
            error += hypotheses[j].error * weight
            for c in gamma.indices { gamma[c] += hypotheses[j].gamma[c] * weight }
        }
        let projected = moment.project(lambda)
        var value = error
        var maxViolation = -Double.infinity
        for c in gamma.indices {
            value += projected[c] * (gamma[c] - moment.bound)
            maxViolation = max(maxViolation, gamma[c] - moment.bound)
        }
        return (value, error + (maxViolation > 0 ? bound * maxViolation : 0))
    }

    /// Fairlearn's `eval_gap`: the duality gap of `q` against best responses to multiples of `lambda`.
    mutating func gap(_ q: [Double], _ lambda: [Double], nu: Double) throws -> Double {
        let (value, high) = evaluate(q, lambda)
        var low = value
        for multiplier in [1.0, 2.0, 5.0, 10.0] {
            let index = try bestResponse(lambda.map { $0 * multiplier })
            var point = [Double](repeating: 0, count: hypotheses.count)
            point[index] = 1
            low = min(low, evaluate(point, lambda).value)
            if max(value - low, high - value) > nu + ExponentiatedGradient.precision { break }
        }
        return max(value - low, high - value)
    }

    /// Fairlearn's `solve_linprog`: the best mixture of the classifiers so far (primal) and its multipliers
    /// (dual), with the gap of that pair. Cached while no classifier was added.
    mutating func linearProgramStep(nu: Double) throws -> ([Double], Double) {
        let m = hypotheses.count
        if lastLinearProgramCount == m { return lastLinearProgramResult }
        let k = moment.index.count
        // Primal: minimize Σ errors·Q + B·ζ  s.t. (γ − bound)·Q − ζ ≤ 0,  Σ Q = 1.
        let primal = LinearProgram(
            objective: hypotheses.map(\.error) + [bound],
            upperRows: (0..<k).map { c in hypotheses.map { $0.gamma[c] - moment.bound } + [-1] },
            upperBounds: [Double](repeating: 0, count: k),
            equalityRows: [[Double](repeating: 1, count: m) + [0]],
            equalityBounds: [1])
        let q = Array(try primal.solve().prefix(m))
        // Dual: maximize μ  s.t. μ − Σ_c λ_c (γ_cj − bound) ≤ error_j,  Σ λ ≤ B,  λ ≥ 0  (μ = μ⁺ − μ⁻).
        let dualRows = (0..<m).map { j in (0..<k).map { -(hypotheses[j].gamma[$0] - moment.bound) } + [1, -1] }
            + [[Double](repeating: 1, count: k) + [0, 0]]
        let dual = LinearProgram(
            objective: [Double](repeating: 0, count: k) + [-1, 1],
            upperRows: dualRows,
            upperBounds: hypotheses.map(\.error) + [bound])
        let lambda = Array(try dual.solve().prefix(k))
        lastLinearProgramCount = m
        let gap = try self.gap(q, lambda, nu: nu)
        lastLinearProgramResult = (q, gap)
        return lastLinearProgramResult
    }
}
