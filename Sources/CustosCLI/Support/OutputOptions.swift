import ArgumentParser
import CustosCore
import CustosReport
import Foundation

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, html
}

/// `--format` and `--out`, shared by report-producing commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table (terminal), json (documented schema) or html (self-contained report).")
    var format: OutputFormat = .table

    @Option(name: [.customLong("out"), .customLong("output")],
            help: "Write the output to this file (atomically: nothing is written on error) instead of stdout.")
    var out: String?

    /// Prints or writes the rendered output.
    func emit(_ text: String) throws {
        if let out {
            try FileInput.writeAtomically(text.hasSuffix("\n") ? text : text + "\n", to: out)
        } else {
            print(text)
        }
    }
}

/// `--home DIR`, shared by commands that use `$CUSTOS_HOME`.
struct HomeOptions: ParsableArguments {
    @Option(help: "Custos home directory (default: $CUSTOS_HOME, else ~/.custos).")
    var home: String?

    var custosHome: CustosHome { CustosHome(path: home) }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// A report the CLI prints as a terminal table, documented JSON or a self-contained HTML page.
protocol RenderableReport: Encodable {
    /// The terminal form.
    func renderText() -> String
    /// The HTML page.
    func renderHTML(generatedAt: Date?) -> String
}

extension OutputOptions {
    /// Renders `report` in the chosen format and prints or writes it.
    func emit(_ report: some RenderableReport) throws {
        switch format {
        case .table: try emit(report.renderText())
        case .json: try emit(try JSONOutput.encode(report))
        case .html: try emit(report.renderHTML(generatedAt: Date()))
        }
    }
}
