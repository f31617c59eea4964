import ArgumentParser
import CustosCore
import CustosFairness
import CustosML
import CustosReport
import Foundation

extension MitigationMethod: ExpressibleByArgument {}
extension MitigationDataset: ExpressibleByArgument {}

/// Reads a CSV (or `.jsonl`) table.
func readTable(_ path: String, delimiter: String = ",") throws -> Table {
    if path.hasSuffix(".jsonl") { return try JSONLReader.table(FileInput.readBytes(path), source: path) }
    return try CSVReader.table(contentsOf: path, options: CSVOptions(delimiter: Character(delimiter)))
}

/// `custos fairness train`: logistic regression with an optional fairness mitigation, saved as a model file.
struct FairnessTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a logistic regression with a fairness mitigation and save it as a JSON model file.",
        discussion: """
            Numeric columns are standardized and text columns one-hot encoded (saved with the model). Mitigations:
            none, reweighing (Kamiran-Calders), expgrad-dp / expgrad-eo / expgrad-tpr / expgrad-erp (exponentiated
            gradient, Agarwal et al. 2018), threshold-dp / threshold-eo (threshold optimizer, Hardt et al. 2016).
            """)

    @Option(help: "Training data: CSV (or .jsonl).")
    var data: String

    @Option(help: "Label column.")
    var label: String

    @Option(help: "Value of the label column that counts as positive (needed unless it is 0/1 or true/false).")
    var positiveLabel: String?

    @Option(help: "Sensitive column the mitigation equalizes over.")
    var sensitive: String

    @Option(help: "Mitigation: \(MitigationMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mitigation: MitigationMethod = .none

    @Option(help: "Comma-separated columns not to use as features.")
    var exclude: String?

    @Flag(help: "Do not use the sensitive column as a feature.")
    var excludeSensitive = false

    @Option(help: "Inverse L2 regularization strength (scikit-learn's C).")
    var c: Double = 1

    @Option(help: "Exponentiated gradient: allowed constraint violation.")
    var eps = 0.01

    @Option(help: "Exponentiated gradient: iteration limit.")
    var maxIter = 50

    @Option(help: "Seed of randomized predictions (expgrad and threshold mitigations).")
    var seed: UInt64 = 0

    @Option(help: "Where to write the model JSON (atomically).")
    var model: String

    func validate() throws {
        guard c > 0, c.isFinite else { throw ValidationError("--c must be positive") }
        guard eps > 0, eps < 1 else { throw ValidationError("--eps must be between 0 and 1") }
        guard maxIter > 0 else { throw ValidationError("--max-iter must be positive") }
    }

    func run() throws {
        let table = try readTable(data)
        var options = FairTrainingOptions(label: label, positiveLabel: positiveLabel, sensitive: sensitive, method: mitigation)
        options.excluded = Set((exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        options.sensitiveAsFeature = !excludeSensitive
        options.c = c
        options.eps = eps
        options.maxIterations = maxIter
        options.seed = seed
        let file = try FairTrainer.train(table, options: options) { printError("custos: \($0)") }
        try file.save(to: model)
        printError("custos: wrote \(model) (\(file.features.count) features, mitigation \(mitigation.rawValue))")
    }
}

/// `custos fairness predict`: applies a model file to a table.
struct FairnessPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a model file to data; writes row, score, positive_probability and prediction as CSV.",
        discussion: """
            score is the base logistic regression's probability; positive_probability is the probability that the
            (possibly randomized) mitigated classifier predicts positive; prediction is drawn from it with the
            model's seed (--seed overrides). Categories not seen in training encode as all zeros.
            """)

    @Option(help: "Model JSON written by `custos fairness train` (or any file in that format).")
    var model: String

    @Option(help: "Data: CSV (or .jsonl) with the model's input columns.")
    var data: String

    @Option(help: "Seed of randomized predictions (default: the model's).")
    var seed: UInt64?

    @Option(help: "Output CSV (atomically); stdout when absent.")
    var out: String?

    func run() throws {
        let file = try ModelFile.load(model)
        let table = try readTable(data)
        let result = try FairPredictor(file).predict(table, seed: seed)
        let writer = CSVWriter()
        var text = writer.encode(record: ["row", "score", "positive_probability", "prediction"])
        for i in 0..<table.rowCount {
            text += writer.encode(record: ["\(i + 1)", "\(result.scores[i])", "\(result.positiveProbabilities[i])", result.predictions[i] ? "1" : "0"])
        }
        if let out { try FileInput.writeAtomically(text, to: out) } else { print(text, terminator: "") }
    }
}

/// `custos fairness compare`: every mitigation on a bundled data set, accuracy against disparity.
struct FairnessCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train every mitigation on a bundled data set and compare test accuracy with disparity.",
        discussion: """
            --format json prints an array of {"mitigation", "accuracy", "demographic_parity_difference",
            "equalized_odds_difference", "seconds"} on the test split. Progress goes to stderr.
            """)

    @Option(help: "Bundled data set: adult (own train/test split), compas or german (seeded 70/30 split).")
    var dataset: MitigationDataset

    @Option(help: "Sensitive column (default: sex for adult and german, race for compas).")
    var sensitive: String?

    @Option(help: "Comma-separated mitigations (default: none,reweighing,expgrad-dp,expgrad-eo,threshold-dp,threshold-eo).")
    var mitigations: String?

    @Option(help: "Seed of the split (compas, german).")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions
    @OptionGroup var home: HomeOptions

    func run() throws {
        let methods = try (mitigations?.split(separator: ",").map { name -> MitigationMethod in
            guard let method = MitigationMethod(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw CustosError(.usage, "unknown mitigation '\(name)' (known: \(MitigationMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return method
        }) ?? MitigationMethod.compared
        let (train, test, options) = try dataset.load(sensitive: sensitive, seed: seed, home: home.custosHome)
        let outcomes = try MitigationComparison.run(train: train, test: test, options: options, methods: methods) { printError("custos: \($0)") }
        let title = "Mitigations on \(dataset.rawValue) (sensitive: \(options.sensitive))"
        switch output.format {
        case .table: try output.emit(MitigationComparison.renderText(outcomes, title: title))
        case .json: try output.emit(JSONOutput.encode(outcomes))
        case .html:
            try output.emit(MitigationComparison.renderHTML(
                outcomes, title: title, subtitle: "\(train.rowCount) training rows, \(test.rowCount) test rows, label \(options.label)"))
        }
    }
}
