import ArgumentParser
import CustosCore
import CustosPrivacy
import Foundation

/// `--dataset`, `--analyst` and `--home`: which budget of which ledger a command uses.
struct LedgerOptions: ParsableArguments {
    @OptionGroup var home: HomeOptions

    @Option(help: "Analyst charged (default: $USER, else 'default').")
    var analyst: String?

    /// The analyst name in effect.
    var analystName: String { analyst ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "default" }

    /// Opens the ledger of this home.
    func open(create: Bool) throws -> BudgetLedger { try Self.open(home.custosHome, create: create) }

    /// Opens `$CUSTOS_HOME/dp-ledger.sqlite`; `create` makes the home folder when needed, otherwise a missing
    /// ledger is a usage error.
    static func open(_ home: CustosHome, create: Bool) throws -> BudgetLedger {
        let path = home.root.appendingPathComponent("dp-ledger.sqlite").path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw CustosError(.usage, "no privacy ledger at \(path); set a budget first with `custos dp budget set`")
            }
            try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        }
        return try BudgetLedger(path: path)
    }
}

/// Prints a Codable value as one JSON line (sorted keys).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `custos dp budget …`.
struct DPBudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "The privacy budget ledger ($CUSTOS_HOME/dp-ledger.sqlite): one (ε, δ) budget per dataset and analyst.",
        subcommands: [SetBudget.self, Show.self, History.self])

    /// One line for people.
    static func describe(_ status: BudgetStatus) -> String {
        "dataset '\(status.dataset)', analyst '\(status.analyst)': spent ε \(status.spent.epsilon.doubleValue), δ \(status.spent.delta.doubleValue) "
            + "of ε \(status.limit.epsilon.doubleValue), δ \(status.limit.delta.doubleValue) in \(status.releases) release(s); "
            + "remaining ε \(status.remaining.epsilon.doubleValue), δ \(status.remaining.delta.doubleValue)"
    }

    /// `custos dp budget set`.
    struct SetBudget: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set (or replace) a budget; what was spent stays spent.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Dataset name.") var dataset: String
        @Option(parsing: .unconditional, help: "Total ε allowed (positive; read exactly, e.g. 1, 0.5, 1/3).") var epsilon: String
        @Option(parsing: .unconditional, help: "Total δ allowed, in [0, 1) (default 0).") var delta = "0"
        @Option(help: "Output format: table or json.") var format: DPCommand.Format = .table

        func run() throws {
            let limit = try PrivacyCost(epsilon: try DPCommand.exact(epsilon, "--epsilon"), delta: try DPCommand.exact(delta, "--delta", allowZero: true))
            let status = try ledger.open(create: true).setBudget(limit, dataset: dataset, analyst: ledger.analystName)
            if format == .json { try printJSON(status) } else { print(DPBudgetCommand.describe(status)) }
        }
    }

    /// `custos dp budget show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a budget, what was spent and what remains.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Dataset name.") var dataset: String
        @Option(help: "Output format: table or json.") var format: DPCommand.Format = .table

        func run() throws {
            let status = try ledger.open(create: false).status(dataset: dataset, analyst: ledger.analystName)
            if format == .json { try printJSON(status) } else { print(DPBudgetCommand.describe(status)) }
        }
    }

    /// `custos dp budget history`.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every recorded release (oldest first): mechanism, parameters, cost.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Only this dataset.") var dataset: String?
        @Option(help: "Only this analyst.") var analyst: String?
        @Option(help: "Output format: table or json (one object per line).") var format: DPCommand.Format = .table

        func run() throws {
            for entry in try LedgerOptions.open(home.custosHome, create: false).history(dataset: dataset, analyst: analyst) {
                if format == .json {
                    try printJSON(entry)
                } else {
                    print("\(entry.id)\t\(entry.recordedAt)\t\(entry.dataset)\t\(entry.analyst)\t\(entry.mechanism)\tε \(entry.cost.epsilon.doubleValue)\tδ \(entry.cost.delta.doubleValue)\t\(entry.parameters)")
                }
            }
        }
    }
}
