import ArgumentParser
import CustosCore
import CustosFairness
import CustosML
import CustosPrivacy
import Foundation

/// `custos-bench dp-sgd`: the utility table of DP-SGD on UCI Adult — for each ε, the test accuracy of the private
/// logistic regression (median of `--runs` trainings, each with fresh secure noise) against the non-private one
/// (Newton, scikit-learn's optimum, C = 1) on the standard-scaled features and on the same public-schema features.
/// One JSON line per ε.
struct DPSGDBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dp-sgd")

    @Option(help: "Trainings per ε (fresh noise each); the median accuracy is reported.")
    var runs = 5

    @Option(help: "Target ε values, comma-separated.")
    var epsilons = "0.5,1,2,4,8"

    @Option(parsing: .unconditional, help: "Target δ.")
    var delta = 1e-5

    @Option(parsing: .unconditional, help: "Expected passes over the data.") var epochs = 5.0
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Expected batch size.") var batchSize = 512
    @Option(parsing: .unconditional, help: "Per-example clipping norm.") var clip = 1.0
    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Step size.") var learningRate = 2.0

    @Option(help: "Custos home with the adult asset.")
    var home: String?

    /// Public bounds of Adult's numeric features, from what the columns mean rather than from the data: ages and
    /// weekly hours in [0, 100], the 16 education levels, capital gains up to the census's 99,999 top code, losses
    /// up to 5,000.
    static let adultBounds: [PublicFeatureSchema.NumericFeature] = [
        .init(column: "age", lower: 0, upper: 100), .init(column: "education-num", lower: 1, upper: 16),
        .init(column: "capital-gain", lower: 0, upper: 100_000), .init(column: "capital-loss", lower: 0, upper: 5_000),
        .init(column: "hours-per-week", lower: 0, upper: 100),
    ]

    func run() throws {
        let custosHome = CustosHome(path: home)
        let (train, test) = try Datasets.adult(home: custosHome)
        let published = try Self.publishedLevels(try custosHome.require(asset: "adult", file: "adult.names"))
        let levels = try MitigationDataset.adultCategoricalFeatures.map { name in
            guard let values = published[name] else { throw CustosError(.invalidInput, "adult.names lists no levels for '\(name)'") }
            return PublicFeatureSchema.CategoricalFeature(column: name, levels: values)
        }
        let schema = PublicFeatureSchema(numeric: Self.adultBounds, categorical: levels)
        let pipeline = try schema.pipeline()
        let trainData = try DPTrainingData(train, label: "income", positive: ">50K", pipeline: pipeline)
        let testData = try DPTrainingData(test, label: "income", positive: ">50K", pipeline: pipeline)

        let scaled = try FeaturePipeline.fit(train, numeric: MitigationDataset.adultNumericFeatures,
                                             categorical: MitigationDataset.adultCategoricalFeatures)
        let scaledTrain = try DPTrainingData(train, label: "income", positive: ">50K", pipeline: scaled)
        let scaledTest = try DPTrainingData(test, label: "income", positive: ">50K", pipeline: scaled)
        let nonPrivate = try DPTrainingSummary.accuracy(try LogisticRegression().fit(scaledTrain.x, labels: scaledTrain.labels), scaledTest)
        let nonPrivatePublic = try DPTrainingSummary.accuracy(try LogisticRegression().fit(trainData.x, labels: trainData.labels), testData)

        for text in epsilons.split(separator: ",") {
            guard let epsilon = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw CustosError(.usage, "--epsilons: '\(text)' is not a number")
            }
            let settings = DPSGDConfiguration(epsilon: epsilon, delta: delta, epochs: epochs, batchSize: batchSize,
                                              clipNorm: clip, learningRate: learningRate)
            let plan = try DPSGDPlan(configuration: settings, rows: trainData.x.rows, features: trainData.x.columns)
            let (continuousSigma, _) = try DPSGDPlan.calibrate(samplingRate: plan.samplingRate, steps: plan.steps, epsilon: epsilon,
                                                              delta: delta, curve: .continuousGaussian)
            let trainer = try DPSGDTrainer(configuration: settings)
            var accuracies: [Double] = []
            var seconds: [Double] = []
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now()
                let result = try trainer.train(trainData.x, labels: trainData.labels, plan: plan)
                seconds.append(AuditBench.seconds(since: start))
                accuracies.append(try DPTrainingSummary.accuracy(result.classifier, testData))
            }
            let median = ProcessTimer.median(accuracies)
            try printJSONLine(Row(
                bench: "dp-sgd", epsilon: epsilon, epsilonSpent: plan.spent.epsilon, delta: delta, noiseMultiplier: plan.noiseMultiplier,
                continuousFormulaNoiseMultiplier: continuousSigma, steps: plan.steps, samplingRate: plan.samplingRate,
                dpTestAccuracy: median, dpTestAccuracies: accuracies, nonPrivateTestAccuracy: nonPrivate,
                nonPrivatePublicSchemaTestAccuracy: nonPrivatePublic, gapPercentagePoints: (nonPrivate - median) * 100,
                custosSeconds: ProcessTimer.median(seconds), runs: accuracies.count))
        }
    }

    /// The categorical levels Adult's documentation publishes: its `name: a, b, c.` lines (`continuous` ones skipped).
    static func publishedLevels(_ path: String) throws -> [String: [String]] {
        var levels: [String: [String]] = [:]
        for line in String(decoding: try FileInput.readBytes(path), as: UTF8.self).split(separator: "\n") {
            guard !line.hasPrefix("|"), let colon = line.firstIndex(of: ":"), line.hasSuffix(".") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let values = line[line.index(after: colon)...].dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if values != ["continuous"], !name.contains(" ") { levels[name] = values }
        }
        return levels
    }

    /// One line of the table.
    struct Row: Encodable {
        var bench: String
        var epsilon: Double
        var epsilonSpent: Double
        var delta: Double
        var noiseMultiplier: Double
        var continuousFormulaNoiseMultiplier: Double
        var steps: Int
        var samplingRate: Double
        var dpTestAccuracy: Double
        var dpTestAccuracies: [Double]
        var nonPrivateTestAccuracy: Double
        var nonPrivatePublicSchemaTestAccuracy: Double
        var gapPercentagePoints: Double
        var custosSeconds: Double
        var runs: Int

        enum CodingKeys: String, CodingKey {
            case bench, epsilon, epsilonSpent = "epsilon_spent", delta, noiseMultiplier = "noise_multiplier"
            case continuousFormulaNoiseMultiplier = "continuous_formula_noise_multiplier", steps, samplingRate = "sampling_rate"
            case dpTestAccuracy = "dp_test_accuracy", dpTestAccuracies = "dp_test_accuracies", nonPrivateTestAccuracy = "nonprivate_test_accuracy"
            case nonPrivatePublicSchemaTestAccuracy = "nonprivate_public_schema_test_accuracy", gapPercentagePoints = "gap_pp"
            case custosSeconds = "custos_s", runs
        }
    }
}
