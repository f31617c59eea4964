import ArgumentParser
import CustosCore
import CustosML
import CustosPrivacy
import CustosReport
import Foundation

extension DPCommand {
    /// `custos dp train`.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a logistic regression by DP-SGD (Poisson sampling, per-example clipping, exact discrete Gaussian noise).",
            discussion: """
                σ is calibrated so that the RDP accountant's ε meets --epsilon at --delta. Without --schema every \
                column except --label must be numeric and is used as it is (scale it with public constants first); with \
                --schema FILE the numeric columns are mapped from declared public bounds and categorical columns \
                one-hot encoded with declared levels. Progress goes to stderr; with --dataset or --analyst the ledger is \
                charged the spent (ε, δ), refused before training when the budget would be exceeded.
                """)

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Training CSV file.") var data: String
        @Option(help: "Label column.") var label: String
        @Option(help: "The label value counted as positive.") var positive = "1"
        @Option(parsing: .unconditional, help: "Target ε (positive; read exactly).") var epsilon: String
        @Option(parsing: .unconditional, help: "Target δ, in (0, 1).") var delta: String
        @Option(help: "Public feature schema (JSON: numeric bounds, categorical levels).") var schema: String?
        @Option(help: "Test CSV file: report the model's accuracy on it.") var test: String?
        @Option(help: "Write the model file here (readable by `custos fairness predict`).") var output: String?
        @Option(parsing: .unconditional, help: "Expected passes over the data.") var epochs = 5.0
        @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Expected batch size (Poisson sampling rate = batch/rows).")
        var batchSize = 512
        @Option(parsing: .unconditional, help: "Per-example L2 clipping norm C.") var clip = 1.0
        @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Step size.") var learningRate = 2.0
        @Option(help: "Dataset charged in the ledger (charging happens with --dataset or --analyst).") var dataset: String?
        @Option(help: "Output format: table or json.") var format: Format = .table

        func run() throws {
            let exactEpsilon = try DPCommand.exact(epsilon, "--epsilon")
            let exactDelta = try DPCommand.exact(delta, "--delta")
            guard exactDelta < Rational.one else { throw CustosError(.usage, "--delta must be below 1, got \(delta)") }
            let settings = DPSGDConfiguration(
                epsilon: exactEpsilon.doubleValue, delta: exactDelta.doubleValue, epochs: epochs, batchSize: batchSize,
                clipNorm: clip, learningRate: learningRate)
            do { try settings.validate() } catch let error as CustosError { throw CustosError(.usage, error.message) }

            let table = try CSVReader.table(contentsOf: data)
            let pipeline = try schema.map { try PublicFeatureSchema.load($0).pipeline() } ?? DPTrainingData.rawPipeline(table, label: label)
            let training = try DPTrainingData(table, label: label, positive: positive, pipeline: pipeline)
            let testing = try test.map { try DPTrainingData(try CSVReader.table(contentsOf: $0), label: label, positive: positive, pipeline: pipeline) }
            let plan = try DPSGDPlan(configuration: settings, rows: training.x.rows, features: training.x.columns)
            let trainer = try DPSGDTrainer(configuration: settings)
            printError("DP-SGD: \(plan.steps) steps, q = \(plan.samplingRate), noise multiplier σ = \(plan.noiseMultiplier), clipping norm \(plan.clipNorm)")

            let train = {
                let result = try trainer.train(training.x, labels: training.labels, plan: plan) { progress in
                    printError("step \(progress.step)/\(progress.steps)  ε so far \(progress.epsilon)")
                }
                if let output {
                    try ModelFile(pipeline: pipeline, classifier: result.classifier, label: LabelSpec(column: label, positive: positive),
                                  privacy: plan.privacyRecord).save(to: output)
                }
                return result
            }
            let result: DPSGDResult
            if dataset != nil || ledger.analyst != nil {
                let name = dataset ?? URL(fileURLWithPath: data).lastPathComponent
                let cost = try PrivacyCost(epsilon: try Rational(exactly: plan.spent.epsilon), delta: exactDelta)
                result = try ledger.open(create: false).charge(
                    cost, dataset: name, analyst: ledger.analystName, mechanism: "dp-sgd",
                    parameters: try JSONOutput.encode(plan.privacyRecord, pretty: false), release: train)
                printError("charged ε \(plan.spent.epsilon), δ \(exactDelta.doubleValue) to '\(name)' / '\(ledger.analystName)'")
            } else {
                result = try train()
            }
            let summary = DPTrainingSummary(
                result: result, configuration: settings, testAccuracy: try testing.map { try DPTrainingSummary.accuracy(result.classifier, $0) },
                testRows: testing?.x.rows)
            if format == .json {
                try printJSON(summary)
                return
            }
            print("spent ε \(summary.epsilon) (target \(summary.targetEpsilon), RDP order \(summary.order)), δ \(summary.delta)")
            print("noise multiplier σ \(summary.noiseMultiplier), \(summary.steps) steps, sampling rate \(summary.samplingRate), \(summary.rows) rows")
            if let accuracy = summary.testAccuracy { print("test accuracy \(accuracy) (\(summary.testRows ?? 0) rows)") }
            if let output { print("model written to \(output)") }
        }
    }
}
