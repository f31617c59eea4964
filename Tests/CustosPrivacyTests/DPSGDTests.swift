import CustosCore
import CustosML
import Foundation
import Testing

@testable import CustosPrivacy

@Suite("DP-SGD: calibration, clipping on the grid, training, bad input")
struct DPSGDTests {
    @Test("calibration: σ meets the target ε and σ·(1 − 1e-3) does not", arguments: [
        (0.01, 1_000, 1.0, 1e-5), (0.017, 300, 8.0, 1e-5), (0.05, 100, 0.5, 1e-6),
    ])
    func calibration(q: Double, steps: Int, epsilon: Double, delta: Double) throws {
        let (sigma, spent) = try DPSGDPlan.calibrate(samplingRate: q, steps: steps, epsilon: epsilon, delta: delta)
        #expect(spent.epsilon <= epsilon)
        #expect(try DPSGDPlan.epsilon(samplingRate: q, noiseMultiplier: sigma, steps: steps, delta: delta) == spent)
        let below = try DPSGDPlan.epsilon(samplingRate: q, noiseMultiplier: sigma * (1 - 1e-3), steps: steps, delta: delta)
        #expect(below.epsilon > epsilon, "σ = \(sigma) is not the smallest: 0.1% less still gives \(below.epsilon)")
    }

    @Test("the discrete-Gaussian curve is never below the continuous formula, equals it where the mixture direction dominates, and is α/(2σ²) at q = 1")
    func boundDominatesContinuous() throws {
        for (q, sigma) in [(0.001, 0.6), (0.01, 1.0), (0.05, 2.0), (0.3, 0.8), (0.9, 5.0)] {
            let discrete = try SubsampledDiscreteGaussianRDP(samplingRate: q, noiseMultiplier: sigma)
            let continuous = try SubsampledGaussianRDP(samplingRate: q, noiseMultiplier: sigma)
            for alpha in [2.0, 3, 5, 8, 16, 32, 64] {
                #expect(discrete.rdp(order: alpha) >= continuous.rdp(order: alpha) * (1 - 1e-12), "q=\(q) σ=\(sigma) α=\(alpha)")
            }
            // A fractional order takes the next integer's value (RDP does not decrease with the order).
            #expect(discrete.rdp(order: 2.5) == discrete.rdp(order: 3))
        }
        // Small q, moderate σ and order: the continuous binomial sum is the larger of the two bounds, so they agree.
        let typical = try SubsampledDiscreteGaussianRDP(samplingRate: 0.01, noiseMultiplier: 1.0)
        #expect(typical.rdp(order: 8) == (try SubsampledGaussianRDP(samplingRate: 0.01, noiseMultiplier: 1.0)).rdp(order: 8))
        let full = try SubsampledDiscreteGaussianRDP(samplingRate: 1, noiseMultiplier: 2)
        #expect(full.rdp(order: 7) == 7.0 / 8.0)
    }

    @Test("both directions of the subsampled discrete Gaussian's Rényi divergence, summed numerically, stay below the curve")
    func curveBoundsBothDirections() throws {
        // One coordinate, shift v = 3 grid units, V = σ²v²: the worst case the curve allows.
        for (q, sigma) in [(0.01, 0.8), (0.1, 1.5), (0.5, 4.0), (0.02, 1.0)] {
            let v = 3.0
            let variance = sigma * sigma * v * v
            let curve = try SubsampledDiscreteGaussianRDP(samplingRate: q, noiseMultiplier: sigma)
            for alpha in [2, 3, 5, 8, 12] {
                let a = Double(alpha)
                let reach = Int((40 * variance.squareRoot() + 2 * a * v).rounded(.up)) + 50
                var logWeights: [Double] = []
                var logRatios: [Double] = []
                for z in -reach...reach {
                    let x = Double(z)
                    logWeights.append(-x * x / (2 * variance))
                    logRatios.append((2 * x * v - v * v) / (2 * variance))
                }
                func logMean(_ f: (Double) -> Double) -> Double {
                    let terms = zip(logWeights, logRatios).map { $0 + f($1) }
                    let peak = terms.max() ?? 0
                    let weightPeak = logWeights.max() ?? 0
                    return peak + log(terms.reduce(0) { $0 + exp($1 - peak) })
                        - weightPeak - log(logWeights.reduce(0) { $0 + exp($1 - weightPeak) })
                }
                // log(1 − q + q·e^r), stably.
                func logMixture(_ r: Double) -> Double { LogSpace.add(log1p(-q), log(q) + r) }
                let mixtureAgainstBase = logMean { a * logMixture($0) } / (a - 1)
                let baseAgainstMixture = logMean { (1 - a) * logMixture($0) } / (a - 1)
                let bound = curve.rdp(order: a)
                #expect(mixtureAgainstBase <= bound * (1 + 1e-9), "q=\(q) σ=\(sigma) α=\(alpha): \(mixtureAgainstBase) > \(bound)")
                #expect(baseAgainstMixture <= bound * (1 + 1e-9), "q=\(q) σ=\(sigma) α=\(alpha): \(baseAgainstMixture) > \(bound)")
            }
        }
    }

    @Test("each example's rounded contribution has squared norm ≤ B in grid units and rounds the clipped gradient")
    func contributionsAreBounded() throws {
        let configuration = DPSGDConfiguration(epsilon: 1, delta: 1e-5, epochs: 1, batchSize: 10, clipNorm: 0.7)
        let plan = try DPSGDPlan(configuration: configuration, rows: 100, features: 6)
        #expect(plan.granularity == 0.5 / 1024)  // a power of two with C/g ∈ [1024, 2048)
        var generator = SeededGenerator(seed: 5)
        for trial in 0..<2_000 {
            let magnitude = [1e-6, 1, 1e3, 1e12][trial % 4]
            let features = (0..<6).map { _ in Double.random(in: -magnitude...magnitude, using: &generator) }
            let residual = Double.random(in: -1...1, using: &generator)
            let k = plan.roundedContribution(features: features, residual: residual)
            #expect(k.count == 7)
            #expect(k.reduce(0) { $0 + $1 * $1 } <= plan.sensitivitySquared)
            // Unclipped gradients are rounded to the nearest grid point.
            let gradient = features.map { $0 * residual } + [residual]
            if (gradient.reduce(0) { $0 + $1 * $1 }).squareRoot() < 0.99 * configuration.clipNorm {
                for (kj, gj) in zip(k, gradient) { #expect(abs(Double(kj) * plan.granularity - gj) <= plan.granularity / 2) }
            }
        }
        // B leaves room for rounding only: (C/g + √7/2)² grid units².
        let bound = configuration.clipNorm / plan.granularity + 7.0.squareRoot() / 2
        #expect(plan.sensitivitySquared == Int((bound * bound).rounded(.up)))
        #expect(Double(plan.noiseVariance) >= plan.noiseMultiplier * plan.noiseMultiplier * Double(plan.sensitivitySquared))
    }

    @Test("with a very large ε, DP-SGD predicts like the non-private logistic regression on a small synthetic set")
    func largeEpsilonApproachesNonPrivate() throws {
        var generator = SeededGenerator(seed: 11)
        let rows = 400
        var values: [Double] = []
        var labels: [Bool] = []
        for _ in 0..<rows {
            let a = Double.random(in: -1...1, using: &generator)
            let b = Double.random(in: -1...1, using: &generator)
            values += [a, b]
            labels.append(Double.random(in: 0...1, using: &generator) < LogisticRegression.sigmoid(3 * a - 2 * b + 0.5))
        }
        let x = try DenseMatrix(rows: rows, columns: 2, values: values)
        let reference = try LogisticRegression().fit(x, labels: labels).predict(x)
        let configuration = DPSGDConfiguration(epsilon: 1_000, delta: 1e-5, epochs: 60, batchSize: 100, clipNorm: 1, learningRate: 2)
        let plan = try DPSGDPlan(configuration: configuration, rows: rows, features: 2)
        #expect(plan.spent.epsilon <= 1_000)
        var reports: [DPSGDProgress] = []
        let result = try DPSGDTrainer(configuration: configuration).train(x, labels: labels, plan: plan, using: &generator) { reports.append($0) }
        let predictions = try result.classifier.predict(x)
        let agreement = Double(zip(predictions, reference).filter { $0 == $1 }.count) / Double(rows)
        #expect(agreement >= 0.95, "agreement with the non-private model \(agreement)")
        #expect(result.classifier.coefficients[0] > 0 && result.classifier.coefficients[1] < 0)
        // Progress: increasing ε, ending at the plan's spent ε.
        #expect(reports.last?.step == plan.steps)
        #expect(reports.last?.epsilon == plan.spent.epsilon)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.epsilon < $1.epsilon })
        #expect(result.guarantee == .approximateDP(epsilon: plan.spent.epsilon, delta: 1e-5))
    }

    @Test("bad settings and empty data are refused with precise errors before anything is computed")
    func badInput() throws {
        func message(_ configuration: DPSGDConfiguration, rows: Int = 100, features: Int = 3) -> String {
            do {
                _ = try DPSGDPlan(configuration: configuration, rows: rows, features: features)
                return ""
            } catch let error as CustosError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(message(DPSGDConfiguration(epsilon: 0, delta: 1e-5)).contains("epsilon must be positive"))
        #expect(message(DPSGDConfiguration(epsilon: -1, delta: 1e-5)).contains("epsilon must be positive"))
        #expect(message(DPSGDConfiguration(epsilon: .nan, delta: 1e-5)).contains("epsilon must be positive"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 1)).contains("delta must be in (0, 1)"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 0)).contains("delta must be in (0, 1)"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 1e-5, batchSize: 10), rows: 0).contains("no rows"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 1e-5, batchSize: 200), rows: 100).contains("exceeds the 100 training rows"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 1e-5, clipNorm: 0)).contains("clipping norm"))
        #expect(message(DPSGDConfiguration(epsilon: 1, delta: 1e-5, batchSize: 10), features: 0).contains("no feature columns"))
    }

    @Test("data: an empty table and a non-numeric value without a schema are errors naming the problem")
    func badData() throws {
        let empty = try CSVReader.table(Array("x,y\n".utf8))
        #expect(throws: CustosError.self) { try DPTrainingData(empty, label: "y", positive: "1", pipeline: FeaturePipeline(rawColumns: ["x"])) }
        let text = try CSVReader.table(Array("x,y\n1,1\nabc,0\n".utf8))
        do {
            _ = try DPTrainingData.rawPipeline(text, label: "y")
            Issue.record("a non-numeric feature was accepted")
        } catch let error as CustosError {
            #expect(error.message.contains("'abc'") && error.location?.row == 2)
        }
    }

    @Test("a public schema maps the declared bounds onto [−1, 1] and one-hot encodes the declared levels; bad schemas are refused")
    func publicSchema() throws {
        let schema = PublicFeatureSchema(numeric: [.init(column: "age", lower: 0, upper: 100)],
                                         categorical: [.init(column: "sex", levels: ["F", "M"])])
        let table = try CSVReader.table(Array("age,sex,y\n0,M,1\n100,F,0\n25,X,0\n".utf8))
        let x = try schema.pipeline().transform(table)
        #expect(x.values == [-1, 0, 1, 1, 1, 0, -0.5, 0, 0])
        #expect(throws: CustosError.self) { try PublicFeatureSchema(numeric: [.init(column: "a", lower: 2, upper: 2)]).validate() }
        #expect(throws: CustosError.self) {
            try PublicFeatureSchema(numeric: [.init(column: "a", lower: 0, upper: 1)], categorical: [.init(column: "a", levels: ["u"])]).validate()
        }
    }
}
