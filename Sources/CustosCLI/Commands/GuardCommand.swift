import ArgumentParser
import CustosCore
import CustosGuard
import CustosReport
import Foundation

/// `custos guard`: evaluate, run and train the guard's scanners one at a time.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Evaluate, score with and train the guard's scanners.",
        subcommands: [GuardEvalCommand.self, GuardScoreCommand.self, GuardTrainCommand.self, GuardWorkerCommand.self])
}

/// `custos guard worker`: runs a policy's scanners for another custos process (policies with
/// `isolation: process`); frames on standard input and output, see `ScannerWorker`.
struct GuardWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run scanners for another custos process (internal; started by policies with isolation: process).",
        shouldDisplay: false)

    @OptionGroup var home: HomeOptions

    func run() throws {
        let status = ScannerWorker.serve(environment: ScannerEnvironment(home: home.custosHome))
        if status != 0 { throw ExitCode(status) }
    }
}

/// The scanner environment of a CLI command: assets from `home`, scanner workers run by this executable.
func scannerEnvironment(home: CustosHome) -> ScannerEnvironment {
    ScannerEnvironment(home: home, workerCommand: scannerWorkerCommand(home: home))
}

/// `custos guard worker --home H`, run by this very executable.
func scannerWorkerCommand(home: CustosHome) -> [String] {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return [executable, "guard", "worker", "--home", home.root.path]
}

/// `--scanner NAME [--policy P]`: one scanner, with its options from a policy when given.
struct ScannerSelection: ParsableArguments {
    @Option(help: "Scanner name (offensive, secrets, pii, banned_words, jailbreak, topic, length, system_prompt_leak, json_schema, exfiltration, refusal).")
    var scanner: String

    @Option(help: "Policy file whose options for this scanner are used (first entry with that name).")
    var policy: String?

    @OptionGroup var home: HomeOptions

    /// Builds the scanner.
    func make() throws -> any CustosGuard.Scanner {
        let registry = ScannerRegistry.builtIn
        guard registry.contains(scanner) else {
            throw CustosError(.usage, registry.unknownScannerMessage(scanner))
        }
        var options = ScannerOptions()
        if let policy {
            let loaded = try PolicyLoader.load(path: policy, registry: registry)
            guard let spec = (loaded.input + loaded.output).first(where: { $0.scanner == scanner }) else {
                throw CustosError(.invalidInput, "the policy has no '\(scanner)' scanner", at: SourceLocation(file: policy))
            }
            options = spec.options
        }
        return try registry.make(scanner, options: options, environment: ScannerEnvironment(home: home.custosHome))
    }
}

/// `custos guard eval`: precision, recall, F1, ROC AUC and confusion matrix on a labelled set.
struct GuardEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a scanner on a labelled JSONL set ({\"text\", \"label\": 0 or 1}).",
        discussion: """
            --format json prints {"precision", "recall", "f1", "auc", "threshold", "n", "confusion"} and, with \
            --perturb, "perturbations": the same figures for each of leetspeak, homoglyph, zero-width and spacing \
            (all texts perturbed) plus "detection_drop_pp", the clean recall minus the perturbed one in percentage points.
            """)

    @OptionGroup var selection: ScannerSelection

    @Option(help: "The labelled set (JSONL with text and label).")
    var set: String

    @Option(help: "Threshold (default: the scanner's).")
    var threshold: Double?

    @Flag(help: "Also evaluate under leetspeak, homoglyph, zero-width and spacing perturbations.")
    var perturb = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard output.format != .html else { throw ValidationError("--format html is not available for guard eval") }
    }

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let scanner = try selection.make()
        let rows = try LabeledText.read(set)
        let evaluation = try ScannerEvaluation.run(scanner, on: rows, threshold: threshold, perturb: perturb)
        if output.format == .json {
            try output.emit(try JSONOutput.encode(EvalJSON(evaluation)))
        } else {
            var rowsOut = [Self.row("clean", evaluation.clean, drop: nil)]
            for name in evaluation.perturbations.keys.sorted() {
                if let p = evaluation.perturbations[name] { rowsOut.append(Self.row(name, p.metrics, drop: p.detectionDropPP)) }
            }
            let table = TerminalTable(
                title: "\(scanner.name) on \(set) (n = \(evaluation.clean.n), threshold \(evaluation.clean.threshold))",
                headers: ["set", "precision", "recall", "f1", "auc", "tp", "fp", "tn", "fn", "drop pp"],
                alignments: [.left] + Array(repeating: .right, count: 9), rows: rowsOut)
            try output.emit(table.render())
        }
    }

    static func row(_ name: String, _ m: BinaryMetrics, drop: Double?) -> [String] {
        [name, String(format: "%.4f", m.precision), String(format: "%.4f", m.recall), String(format: "%.4f", m.f1),
         m.auc.map { String(format: "%.4f", $0) } ?? "-", "\(m.confusion.tp)", "\(m.confusion.fp)", "\(m.confusion.tn)",
         "\(m.confusion.fn)", drop.map { String(format: "%.1f", $0) } ?? ""]
    }
}

/// The documented JSON of `custos guard eval`: the clean figures at the top level.
private struct EvalJSON: Encodable {
    let evaluation: ScannerEvaluation

    init(_ evaluation: ScannerEvaluation) { self.evaluation = evaluation }

    private struct Perturbed: Encodable {
        let metrics: BinaryMetrics
        let drop: Double
        enum CodingKeys: String, CodingKey { case precision, recall, f1, auc, threshold, n, confusion, detection_drop_pp }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try metrics.encodeFields(into: &c)
            try c.encode(drop, forKey: .detection_drop_pp)
        }
    }

    enum CodingKeys: String, CodingKey { case scanner, precision, recall, f1, auc, threshold, n, confusion, perturbations }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(evaluation.scanner, forKey: .scanner)
        try c.encode(evaluation.clean.precision, forKey: .precision)
        try c.encode(evaluation.clean.recall, forKey: .recall)
        try c.encode(evaluation.clean.f1, forKey: .f1)
        try c.encode(evaluation.clean.auc, forKey: .auc)
        try c.encode(evaluation.clean.threshold, forKey: .threshold)
        try c.encode(evaluation.clean.n, forKey: .n)
        try c.encode(evaluation.clean.confusion, forKey: .confusion)
        if !evaluation.perturbations.isEmpty {
            try c.encode(evaluation.perturbations.mapValues { Perturbed(metrics: $0.metrics, drop: $0.detectionDropPP) }, forKey: .perturbations)
        }
    }
}

private extension BinaryMetrics {
    func encodeFields<K: CodingKey>(into c: inout KeyedEncodingContainer<K>) throws {
        func key(_ name: String) -> K? { K(stringValue: name) }
        if let k = key("precision") { try c.encode(precision, forKey: k) }
        if let k = key("recall") { try c.encode(recall, forKey: k) }
        if let k = key("f1") { try c.encode(f1, forKey: k) }
        if let k = key("auc") { try c.encode(auc, forKey: k) }
        if let k = key("threshold") { try c.encode(threshold, forKey: k) }
        if let k = key("n") { try c.encode(n, forKey: k) }
        if let k = key("confusion") { try c.encode(confusion, forKey: k) }
    }
}

/// `custos guard score`: one JSON line per input text with the scanner's score, verdict and spans.
struct GuardScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score each line of a JSONL file with one scanner.",
        discussion: """
            Prints {"index": i, "score": s, "flagged": bool at the scanner's default threshold, \
            "findings": [{"start", "end", "type"}]} per line (Unicode-scalar offsets).
            """)

    @OptionGroup var selection: ScannerSelection

    @Option(help: "JSONL file of texts.")
    var jsonl: String

    @Option(help: "Field of each JSONL line holding the text.")
    var field = "text"

    @Option(help: "Write to this file (atomically) instead of stdout.")
    var out: String?

    private struct Line: Encodable {
        struct Span: Encodable {
            var start: Int
            var end: Int
            var type: String
        }
        var index: Int
        var score: Double
        var flagged: Bool
        var findings: [Span]
    }

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let scanner = try selection.make()
        let texts = try TextFieldReader.read(jsonl, field: field)
        let results: [ScanResult]
        do {
            results = try ScannerEvaluation.results(scanner, texts)
        } catch let error as CustosError {
            throw CustosError(error.code, error.message, at: SourceLocation(file: jsonl, row: error.location?.row, column: field))
        }
        let stream = try StreamingOutput(path: out)
        do {
            for (k, result) in results.enumerated() {
                let line = Line(index: k, score: result.score, flagged: result.score >= scanner.defaultThreshold,
                                findings: result.findings.map { Line.Span(start: $0.start, end: $0.end, type: $0.type) })
                try stream.write(line: try JSONOutput.encode(line, pretty: false))
            }
            try stream.finish()
        } catch {
            stream.abandon()
            throw error
        }
    }
}
