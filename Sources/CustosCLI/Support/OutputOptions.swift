import ArgumentParser
import CustosCore
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
