import ArgumentParser
import CustosCore
import CustosGuard
import CustosReport
import Foundation

/// `custos scan`: applies a guard policy to a text or a JSONL file and prints the decisions.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a prompt (or, with --output, a model answer) with a guard policy.",
        discussion: """
            Prints the decision: action (allow, flag, redact, block), the scanners that fired, scores, spans \
            (Unicode-scalar offsets), timing and the policy's version hash. With --jsonl, one decision per line \
            (--format json) or a summary table, and the throughput on stderr. Texts over 8 MiB are refused.
            """)

    @Option(help: "Policy file (YAML).")
    var policy: String

    @Flag(help: "Scan as a model answer (the policy's output pipeline).")
    var output = false

    @Argument(help: "The text to scan (or use --jsonl).")
    var text: String?

    @Option(help: "JSONL file of texts.")
    var jsonl: String?

    @Option(help: "Field of each JSONL line holding the text.")
    var field = "text"

    @OptionGroup var home: HomeOptions

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (text == nil) != (jsonl == nil) else { throw ValidationError("give exactly one of TEXT or --jsonl FILE") }
        guard outputOptions.format != .html else { throw ValidationError("--format html is not available for scan") }
    }

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let loaded = try PolicyLoader.load(path: policy, registry: .builtIn)
        let pipeline = try Pipeline(policy: loaded, registry: .builtIn, environment: scannerEnvironment(home: home.custosHome))
        let side: ScanSide = output ? .output : .input
        if let text {
            let decision = try pipeline.scan(text, side: side)
            try outputOptions.emit(outputOptions.format == .json ? try JSONOutput.encode(decision) : Self.table(decision))
            return
        }
        let texts = try TextFieldReader.read(jsonl ?? "", field: field)
        let clock = ContinuousClock()
        let started = clock.now
        var decisions: [Decision] = []
        for (k, item) in texts.enumerated() {
            do {
                decisions.append(try pipeline.scan(item, side: side))
            } catch let error as CustosError {
                throw CustosError(error.code, error.message, at: SourceLocation(file: jsonl, row: k + 1, column: field))
            }
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        if outputOptions.format == .json {
            try outputOptions.emit(try decisions.map { try JSONOutput.encode($0, pretty: false) }.joined(separator: "\n"))
        } else {
            var counts: [GuardAction: Int] = [:]
            for d in decisions { counts[d.action, default: 0] += 1 }
            let rows = GuardAction.allCases.map { [$0.rawValue, "\(counts[$0] ?? 0)"] }
            try outputOptions.emit(TerminalTable(title: "\(texts.count) texts, policy \(loaded.name)", columns: [.init("action"), .init("texts", alignment: .right)], rows: rows).render())
        }
        printError(String(format: "scanned %d texts (%.2f MB) in %.3f s: %.1f texts/s, %.2f MB/s", texts.count, Double(bytes) / 1e6,
                          seconds, Double(texts.count) / max(seconds, 1e-9), Double(bytes) / 1e6 / max(seconds, 1e-9)))
    }

    static func table(_ decision: Decision) -> String {
        let rows = decision.scanners.map { report in
            [report.scanner, String(format: "%.4f", report.score), String(format: "%.2f", report.threshold), report.fired ? "yes" : "no",
             report.action.rawValue, report.error ?? report.findings.map { "\($0.type) \($0.start)..<\($0.end)" }.joined(separator: ", ")]
        }
        var text = "decision: \(decision.action.rawValue)   policy \(decision.policyVersion.prefix(12))   \(String(format: "%.3f ms", decision.seconds * 1000))\n"
        text += TerminalTable(columns: [.init("scanner"), .init("score", alignment: .right), .init("threshold", alignment: .right),
                                        .init("fired"), .init("action"), .init("findings")], rows: rows).render()
        if let sanitized = decision.sanitized { text += "\nsanitized: \(sanitized)" }
        return text
    }
}
