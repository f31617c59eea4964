import CustosCore
import CustosML
import Foundation

/// LIME for tabular data (Ribeiro et al. 2016), as the `lime` package's `LimeTabularExplainer` with
/// `discretize_continuous=True` and the quartile discretizer.
///
/// Continuous features are cut at their training quartiles; each perturbed sample draws every feature's bin (or
/// category) from its training frequencies and a value inside the bin from a normal truncated to the bin, with the
/// bin's training mean and standard deviation. The surrogate is a ridge regression (α = 1) on "same bin/category as
/// the explained row" indicators, weighted by the kernel `√exp(−d²/w²)` of the Euclidean distance between the
/// standardized indicator vectors (w = 0.75·√M by default).
public struct LimeTabular: Sendable {
    /// Training statistics of one feature.
    struct FeatureStatistics: Sendable {
        /// Quartile cut points (sorted, distinct); empty for a categorical feature.
        var cuts: [Double]
        /// Bin or category values and their training frequencies.
        var values: [Double]
        var frequencies: [Double]
        /// Per bin: training mean, standard deviation, lower and upper bound (continuous features).
        var means: [Double]
        var deviations: [Double]
        var lower: [Double]
        var upper: [Double]
        /// Mean and standard deviation of the discretized training column (LIME's scaler).
        var scalerMean: Double
        var scalerScale: Double
    }

    /// Perturbed samples per explanation (`num_samples`, LIME's default 5000).
    public var samples: Int
    /// Kernel width (default `0.75·√M`).
    public var kernelWidth: Double
    /// Feature names.
    public let featureNames: [String]
    /// Indices of categorical features (sampled from their training frequencies, not discretized).
    public let categorical: Set<Int>
    let statistics: [FeatureStatistics]

    /// The surrogate's ridge penalty (LIME's `Ridge(alpha=1)`).
    static let ridgeAlpha = 1.0

    /// Collects the training statistics of `training` (rows × features).
    public init(training: DenseMatrix, featureNames: [String], categorical: Set<Int> = [], samples: Int = 5000,
                kernelWidth: Double? = nil) throws {
        guard training.columns == featureNames.count else {
            throw CustosError(.invalidInput, "the training data has \(training.columns) columns for \(featureNames.count) features")
        }
        guard training.rows > 1 else { throw CustosError(.invalidInput, "LIME needs at least 2 training rows") }
        guard samples >= 2 else { throw CustosError(.usage, "LIME needs at least 2 samples (got \(samples))") }
        self.samples = samples
        self.featureNames = featureNames
        self.categorical = categorical
        self.kernelWidth = kernelWidth ?? 0.75 * Double(featureNames.count).squareRoot()
        var statistics: [FeatureStatistics] = []
        for j in 0..<featureNames.count {
            let column = (0..<training.rows).map { training[$0, j] }
            statistics.append(Self.statistics(column, categorical: categorical.contains(j)))
        }
        self.statistics = statistics
    }

    static func statistics(_ column: [Double], categorical: Bool) -> FeatureStatistics {
        let n = Double(column.count)
        func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
            guard !values.isEmpty else { return (0, 0) }
            let mean = values.reduce(0, +) / Double(values.count)
            return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot())
        }
        if categorical {
            let counts = Dictionary(grouping: column, by: { $0 }).mapValues(\.count)
            let values = counts.keys.sorted()
            let (mean, deviation) = meanAndDeviation(column)
            return FeatureStatistics(cuts: [], values: values, frequencies: values.map { Double(counts[$0] ?? 0) / n },
                                     means: [], deviations: [], lower: [], upper: [],
                                     scalerMean: mean, scalerScale: deviation > 0 ? deviation : 1)
        }
        let sorted = column.sorted()
        let cuts = Array(Set([25.0, 50, 75].map { percentile(sorted, $0) })).sorted()
        let bins = column.map { bin(of: $0, cuts: cuts) }
        var means: [Double] = []
        var deviations: [Double] = []
        var frequencies: [Double] = []
        for b in 0...cuts.count {
            let members = zip(column, bins).filter { $0.1 == b }.map(\.0)
            let (mean, deviation) = meanAndDeviation(members)
            means.append(mean)
            deviations.append(deviation + 1e-11)
            frequencies.append(Double(members.count) / n)
        }
        let (binMean, binDeviation) = meanAndDeviation(bins.map(Double.init))
        return FeatureStatistics(
            cuts: cuts, values: (0...cuts.count).map(Double.init), frequencies: frequencies, means: means,
            deviations: deviations, lower: [sorted[0]] + cuts, upper: cuts + [sorted[sorted.count - 1]],
            scalerMean: binMean, scalerScale: binDeviation > 0 ? binDeviation : 1)
    }

    /// numpy's default (linear) percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p / 100 * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// The bin of a value: how many cut points lie below it (`numpy.searchsorted`, side left).
    static func bin(of value: Double, cuts: [Double]) -> Int {
        cuts.firstIndex(where: { $0 >= value }) ?? cuts.count
    }

    /// The condition a feature's indicator stands for, LIME-style (`age <= 0.65`, `sex=Male`).
    func condition(_ j: Int, value: Double, label: (Double) -> String) -> String {
        let name = featureNames[j]
        let cuts = statistics[j].cuts
        if categorical.contains(j) { return "\(name)=\(label(value))" }
        let b = Self.bin(of: value, cuts: cuts)
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        if b == 0 { return "\(name) <= \(f(cuts[0]))" }
        if b == cuts.count { return "\(name) > \(f(cuts[b - 1]))" }
        return "\(f(cuts[b - 1])) < \(name) <= \(f(cuts[b]))"
    }

    /// Explains `model`'s output for `row`.
    ///
    /// `valueLabel` renders a categorical feature's value in the conditions (default: the number).
    public func explain(_ model: any TabularModel, row: [Double], seed: UInt64,
                        valueLabel: (Double, Int) -> String = { value, _ in Column.format(value) }) throws -> LimeExplanation {
        let m = featureNames.count
        guard row.count == m, model.featureNames.count == m else {
            throw CustosError(.invalidInput, "LIME: the model has \(model.featureNames.count) features, the row \(row.count), "
                + "the training data \(m)")
        }
        var generator = SeededGenerator(seed: seed)
        var indicators = [Double](repeating: 1, count: samples * m)
        var inverse = DenseMatrix(zeros: samples, m)
        for j in 0..<m { inverse[0, j] = row[j] }
        for j in 0..<m {
            let stats = statistics[j]
            let own = categorical.contains(j) ? row[j] : Double(Self.bin(of: row[j], cuts: stats.cuts))
            for k in 1..<samples {
                var u = Double(generator.next() >> 11) * 0x1p-53
                var pick = stats.values.count - 1
                for (index, frequency) in stats.frequencies.enumerated() {
                    if u < frequency { pick = index; break }
                    u -= frequency
                }
                let value = stats.values[pick]
                indicators[k * m + j] = value == own ? 1 : 0
                inverse[k, j] = categorical.contains(j) ? value : Self.sampleInBin(stats, bin: pick, &generator)
            }
        }
        let outputs = try checkedPredictions(model, inverse) { $0 == 0 ? "the explained row" : "LIME sample \($0)" }
        // Distances between standardized indicator vectors, as LIME computes them (its scaler is fitted to the
        // discretized training data and applied to the indicators).
        var weights = [Double](repeating: 0, count: samples)
        let first = (0..<m).map { (1 - statistics[$0].scalerMean) / statistics[$0].scalerScale }
        for k in 0..<samples {
            var squared = 0.0
            for j in 0..<m {
                let scaled = (indicators[k * m + j] - statistics[j].scalerMean) / statistics[j].scalerScale
                squared += (scaled - first[j]) * (scaled - first[j])
            }
            weights[k] = limeKernel(distance: squared.squareRoot(), width: kernelWidth)
        }
        let ridge = try WeightedRidge(x: indicators, columns: m, y: outputs, weights: weights, alpha: Self.ridgeAlpha)
        let conditions = (0..<m).map { j in condition(j, value: row[j]) { valueLabel($0, j) } }
        return LimeExplanation(
            features: featureNames, conditions: conditions,
            weights: ridge.coefficients, intercept: ridge.intercept, score: ridge.score,
            localPrediction: ridge.predict([Double](repeating: 1, count: m)), modelPrediction: outputs[0])
    }

    /// A value inside a bin: a normal with the bin's mean and deviation truncated to the bin's bounds.
    static func sampleInBin(_ stats: FeatureStatistics, bin: Int, _ generator: inout SeededGenerator) -> Double {
        let (low, high) = (stats.lower[bin], stats.upper[bin])
        guard high > low else { return stats.means[bin] }
        for _ in 0..<64 {
            let u1 = max(Double(generator.next() >> 11) * 0x1p-53, .leastNormalMagnitude)
            let u2 = Double(generator.next() >> 11) * 0x1p-53
            let normal = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
            let value = stats.means[bin] + stats.deviations[bin] * normal
            if value >= low, value <= high { return value }
        }
        // A bin far in a tail of its own distribution: uniform inside it.
        return low + Double(generator.next() >> 11) * 0x1p-53 * (high - low)
    }
}

/// A LIME explanation of one instance: a weight per feature condition of a local linear surrogate.
public struct LimeExplanation: Sendable, Equatable, Codable {
    /// Feature names.
    public var features: [String]
    /// Per feature, the condition its indicator stands for (`age <= 0.65`, `sex=Male`, a word).
    public var conditions: [String]
    /// Surrogate coefficients, one per feature.
    public var weights: [Double]
    /// Surrogate intercept.
    public var intercept: Double
    /// Weighted R² of the surrogate on the perturbed samples.
    public var score: Double
    /// The surrogate's prediction for the explained instance.
    public var localPrediction: Double
    /// The model's output for the explained instance.
    public var modelPrediction: Double

    /// Creates an explanation.
    public init(features: [String], conditions: [String], weights: [Double], intercept: Double, score: Double,
                localPrediction: Double, modelPrediction: Double) {
        self.features = features
        self.conditions = conditions
        self.weights = weights
        self.intercept = intercept
        self.score = score
        self.localPrediction = localPrediction
        self.modelPrediction = modelPrediction
    }

    enum CodingKeys: String, CodingKey {
        case features, conditions, weights, intercept, score
        case localPrediction = "local_prediction", modelPrediction = "model_prediction"
    }
}
