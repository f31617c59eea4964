import ArgumentParser
import CustosCore
import CustosExplain
import CustosGuard
import CustosML
import CustosReport
import Foundation

extension ShapleyMethod: ExpressibleByArgument {}
extension TextExplanationMethod: ExpressibleByArgument {}

/// `--model M.json --data rows.csv`: a saved logistic regression and the rows to explain.
struct ExplainedModelOptions: ParsableArguments {
    @Option(help: "Model file (ModelFile JSON, schema 1, as `custos fairness train` writes; empty preprocessing allowed).")
    var model: String

    @Option(help: "Rows to explain: CSV (or .jsonl) with the model's input columns.")
    var data: String

    /// The model and the data's feature rows.
    func load() throws -> (model: LinearModelFile, rows: DenseMatrix) {
        let model = try LinearModelFile(path: model)
        let rows = try model.featureRows(readTable(data), role: "data")
        return (model, rows)
    }
}

/// `custos explain shap`: Shapley values of a saved model's positive-class probability.
struct ExplainShapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shap",
        abstract: "Shapley values of a model file's positive-class probability for each data row, against a background set.",
        discussion: """
            Interventional Shapley values: a feature absent from a coalition takes the background rows' values. \
            exact enumerates all 2^M coalitions (M ≤ 16; cost 2^M × background rows model outputs per row), kernel is \
            KernelSHAP with paired sampling and efficiency enforced exactly (exact when --samples ≥ 2^M − 2), \
            permutation samples antithetic permutation pairs. --format json prints \
            {"features": [...], "base_value": b, "rows": [{"index": i, "prediction": p, "values": [...]}]}.
            """)

    @OptionGroup var input: ExplainedModelOptions

    @Option(help: "Background rows (CSV or .jsonl with the model's input columns, no missing values).")
    var background: String

    @Option(help: "exact, kernel (KernelSHAP) or permutation.")
    var method: ShapleyMethod = .exact

    @Option(help: "Coalition evaluations per row for kernel and permutation (default 2·M + 2048, as shap).")
    var samples: Int?

    @Option(help: "Seed of kernel and permutation sampling.")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (model, rows) = try input.load()
        let explainer = try ShapleyExplainer(method: method, samples: samples, seed: seed, features: model.featureNames.count)
        let background = try model.featureRows(readTable(self.background), role: "background set")
        let result = try explainer.explain(model, rows: rows, background: background)
        switch output.format {
        case .json: try output.emit(JSONOutput.encode(result))
        case .table: try output.emit(result.renderTable())
        case .html:
            try output.emit(result.renderHTML(title: "Shapley values: \(input.model)") { i, j in model.valueLabel(rows[i, j], feature: j) })
        }
    }
}

/// `custos explain lime`: LIME explanations of a saved model's positive-class probability.
struct ExplainLimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lime",
        abstract: "LIME explanations (quartile discretization, exponential kernel, ridge surrogate) for each data row.",
        discussion: """
            The training set supplies the quartiles, bin statistics and category frequencies perturbed samples are \
            drawn from (as lime's LimeTabularExplainer(training_data)). One-hot encoded model columns are categorical.
            """)

    @OptionGroup var input: ExplainedModelOptions

    @Option(help: "Training rows the perturbation statistics come from (CSV or .jsonl with the model's input columns).")
    var training: String

    @Option(help: "Perturbed samples per row.")
    var samples = 5000

    @Option(help: "Kernel width (default 0.75·√M).")
    var kernelWidth: Double?

    @Option(help: "Seed; row i uses seed + i.")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions

    /// The `--format json` document.
    struct Document: Encodable {
        struct Row: Encodable {
            var index: Int
            var explanation: LimeExplanation
            enum CodingKeys: String, CodingKey { case index, explanation }
        }
        var features: [String]
        var rows: [Row]
    }

    func run() throws {
        let (model, rows) = try input.load()
        let training = try model.featureRows(readTable(self.training), role: "training set")
        let categorical = Set(model.featureNames.indices.filter { model.isCategorical($0) })
        let lime = try LimeTabular(training: training, featureNames: model.featureNames, categorical: categorical,
                                   samples: samples, kernelWidth: kernelWidth)
        var explanations: [LimeExplanation] = []
        for i in 0..<rows.rows {
            explanations.append(try lime.explain(model, row: rows.row(i), seed: seed &+ UInt64(i)) { value, j in
                model.valueLabel(value, feature: j)
            })
        }
        switch output.format {
        case .json:
            try output.emit(JSONOutput.encode(Document(features: model.featureNames,
                                                       rows: explanations.enumerated().map { .init(index: $0, explanation: $1) })))
        case .table:
            var text: [String] = []
            for (i, explanation) in explanations.enumerated() {
                var table = TerminalTable(
                    title: "Row \(i): f(x) = \(NumberFormatting.format(explanation.modelPrediction, decimals: 4)), surrogate "
                        + "\(NumberFormatting.format(explanation.localPrediction, decimals: 4)), R² \(NumberFormatting.format(explanation.score, decimals: 3))",
                    headers: ["condition", "weight"], alignments: [.left, .right])
                for j in explanation.weights.indices.sorted(by: { abs(explanation.weights[$0]) > abs(explanation.weights[$1]) }) {
                    table.addRow([explanation.conditions[j], NumberFormatting.signed(explanation.weights[j], decimals: 4)])
                }
                text.append(table.render())
            }
            try output.emit(text.joined(separator: "\n\n"))
        case .html:
            var report = HTMLReport(title: "LIME: \(input.model)", metadata: [.init("Rows", "\(rows.rows)"), .init("Samples", "\(samples)")])
            for (i, explanation) in explanations.prefix(ShapleyResult.htmlRowLimit).enumerated() {
                let largest = max(explanation.weights.map(abs).max() ?? 0, 1e-12)
                let order = explanation.weights.indices.sorted { abs(explanation.weights[$0]) > abs(explanation.weights[$1]) }
                report.addFigure(BarChart(
                    title: "Row \(i): f(x) = \(NumberFormatting.format(explanation.modelPrediction, decimals: 4))",
                    bars: order.map { BarChart.Bar(explanation.conditions[$0], value: explanation.weights[$0], highlight: explanation.weights[$0] > 0) },
                    domain: -largest...largest, decimals: 4, maxLabelColumns: 40))
            }
            try output.emit(report.render())
        }
    }
}

/// `custos explain text --scanner NAME TEXT`: word-level attributions of a guard scanner's score.
struct ExplainTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Which words make a guard scanner score a text as it does (Shapley values or LIME over words).",
        discussion: """
            Words absent from a coalition are removed from the text. auto uses exact Shapley values up to 12 words and \
            KernelSHAP beyond. Deletion and insertion curves (AOPC) measure how faithful the attribution is.
            """)

    @OptionGroup var selection: ScannerSelection

    @Argument(help: "The text to explain.")
    var text: String

    @Option(help: "auto, exact, kernel, permutation or lime.")
    var method: TextExplanationMethod = .auto

    @Option(help: "Sample budget of kernel, permutation and lime.")
    var samples = 2048

    @Option(help: "Seed of the sampling methods.")
    var seed: UInt64 = 0

    @OptionGroup var output: OutputOptions

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let scorer = ScannerTextScorer(try selection.make())
        let explanation = try TextExplainer(method: method, samples: samples, seed: seed).explain(text, scorer: scorer)
        switch output.format {
        case .json: try output.emit(JSONOutput.encode(explanation))
        case .table: try output.emit(explanation.renderTable())
        case .html: try output.emit(explanation.renderHTML())
        }
    }
}
