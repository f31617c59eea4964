import ArgumentParser
import CustosCore
import CustosFairness
import Foundation

/// `custos fairness …`.
struct FairnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairness", abstract: "Measure group fairness of predictions; train mitigated classifiers and compare them.",
        subcommands: [FairnessAuditCommand.self, FairnessTrainCommand.self, FairnessPredictCommand.self, FairnessCompareCommand.self])
}

/// Bundled data sets the audit can run on without a file.
enum BundledAuditData: String, ExpressibleByArgument, CaseIterable {
    /// ProPublica COMPAS: prediction = decile_score ≥ 5, truth = two_year_recid.
    case compas
}

/// `custos fairness audit`: per-group metrics, disparities and confidence intervals.
struct FairnessAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit predictions for group fairness: per-group metrics with bootstrap intervals and disparities.",
        discussion: """
            Reads a CSV (or JSONL) of predictions with sensitive attributes, or a bundled data set.
            Exit codes: 0 ok, 1 when a --fail-on condition holds, 2 usage or input error, 3 internal error.
            """)

    @Option(help: "CSV (or .jsonl) file with one row per decision.")
    var data: String?

    @Option(help: "Bundled data set instead of --data: compas (prediction = decile_score >= 5, truth = two_year_recid).")
    var dataset: BundledAuditData?

    @Option(help: "Column with the true outcome.")
    var label: String?

    @Option(help: "Column with the predicted outcome.")
    var prediction: String?

    @Option(help: "Column with the predicted score or probability (adds AUC and calibration).")
    var score: String?

    @Option(help: "Comma-separated sensitive columns, e.g. sex,race.")
    var sensitive: String?

    @Flag(help: "Also evaluate intersections of the sensitive attributes (e.g. sex+race).")
    var intersections = false

    @Option(help: "Value of the label/prediction columns that counts as positive (needed unless they are 0/1 or true/false).")
    var positiveLabel: String?

    @Option(help: "Bootstrap resamples for confidence intervals (0 disables them).")
    var bootstrap = 1000

    @Option(help: "Confidence level of the intervals.")
    var confidence = 0.95

    @Option(help: "Seed of the bootstrap (reproducible results).")
    var seed: UInt64 = 0

    @Option(help: "Groups with fewer rows are flagged as small.")
    var minGroupSize = 30

    @Option(help: "CSV field delimiter (one character).")
    var delimiter: String = ","

    @Option(help: "Exit 1 when a condition holds: four-fifths, or CRITERION>MAX (e.g. equalized_odds>0.1). Repeatable.")
    var failOn: [String] = []

    @OptionGroup var output: OutputOptions
    @OptionGroup var home: HomeOptions

    func validate() throws {
        guard (data == nil) != (dataset == nil) else {
            throw ValidationError("give exactly one of --data FILE or --dataset compas")
        }
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        guard confidence > 0 && confidence < 1 else { throw ValidationError("--confidence must be between 0 and 1") }
        guard minGroupSize >= 1 else { throw ValidationError("--min-group-size must be at least 1") }
        guard delimiter.count == 1, delimiter.first?.isASCII == true else {
            throw ValidationError("--delimiter must be one ASCII character")
        }
        for condition in failOn { _ = try FailCondition(condition) }
    }

    func run() throws {
        let conditions = try failOn.map(FailCondition.init)
        let request = try resolveRequest()
        var options = MetricFrameOptions()
        options.intersections = intersections
        options.bootstrapResamples = bootstrap
        options.confidenceLevel = confidence
        options.seed = seed
        options.minimumGroupSize = minGroupSize
        let report = try FairnessAudit.run(request, options: options)
        let text: String
        switch output.format {
        case .table: text = report.renderText()
        case .json: text = try report.json(pretty: true)
        case .html: text = report.renderHTML()
        }
        try output.emit(text)
        let failures = conditions.compactMap { $0.failure(in: report) }
        if !failures.isEmpty {
            for failure in failures { printError("custos: fail-on: \(failure)") }
            throw ExitCode(1)
        }
    }

    /// Turns flags into an audit request, loading the data.
    func resolveRequest() throws -> FairnessAudit.Request {
        let sensitiveColumns = sensitive.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if let dataset {
            switch dataset {
            case .compas:
                let table = try FairnessAudit.compasAuditTable(home: home.custosHome)
                return FairnessAudit.Request(
                    table: table, source: "compas (ProPublica two-year, filtered)",
                    label: label ?? "two_year_recid", prediction: prediction ?? FairnessAudit.compasPredictionColumn,
                    score: score, sensitive: sensitiveColumns ?? ["race"], positiveLabel: positiveLabel)
            }
        }
        guard let data else { throw CustosError(.usage, "give --data FILE or --dataset compas") }
        guard let label, let prediction else {
            throw CustosError(.usage, "--label and --prediction are required with --data")
        }
        guard let sensitiveColumns, !sensitiveColumns.isEmpty, !sensitiveColumns.contains("") else {
            throw CustosError(.usage, "--sensitive needs at least one column name, e.g. --sensitive sex,race")
        }
        let table: Table
        if data.hasSuffix(".jsonl") {
            table = try JSONLReader.table(FileInput.readBytes(data), source: data)
        } else {
            table = try CSVReader.table(contentsOf: data, options: CSVOptions(delimiter: Character(delimiter)))
        }
        return FairnessAudit.Request(
            table: table, source: data, label: label, prediction: prediction, score: score,
            sensitive: sensitiveColumns, positiveLabel: positiveLabel)
    }
}

/// A `--fail-on` condition.
struct FailCondition {
    enum Kind { case fourFifths, maxDifference(FairnessCriterion, Double) }
    let kind: Kind

    init(_ text: String) throws {
        if text == "four-fifths" || text == "four_fifths" { kind = .fourFifths; return }
        let parts = text.split(separator: ">", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let criterion = FairnessCriterion(rawValue: parts[0].replacingOccurrences(of: "-", with: "_")),
              let limit = Double(parts[1]), limit >= 0
        else {
            let names = FairnessCriterion.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--fail-on '\(text)': expected four-fifths or CRITERION>MAX with CRITERION one of \(names)")
        }
        kind = .maxDifference(criterion, limit)
    }

    func failure(in report: AuditReport) -> String? {
        switch kind {
        case .fourFifths:
            let failing = report.disparities.filter { $0.failsFourFifths == true }.map(\.attribute)
            return failing.isEmpty ? nil : "four-fifths rule fails for \(failing.joined(separator: ", "))"
        case .maxDifference(let criterion, let limit):
            let failing = report.disparities.filter { $0.metric == criterion && ($0.difference ?? 0) > limit }
            guard !failing.isEmpty else { return nil }
            return failing.map { "\(criterion.rawValue) difference \($0.difference ?? 0) > \(limit) for \($0.attribute)" }
                .joined(separator: "; ")
        }
    }
}
