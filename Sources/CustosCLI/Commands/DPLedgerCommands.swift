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

/// `custos dp count|sum|mean`: one DP aggregate of a CSV column, charged to the ledger before noise is drawn.
struct DPQueryCommand: ParsableCommand {
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "CSV file.") var data: String
    @Option(help: "Column to aggregate.") var column: String
    @Option(parsing: .unconditional, help: "ε to spend (positive; read exactly).") var epsilon: String
    @Option(help: "Clamping bounds 'lo,hi' (sum and mean).") var bounds: String?
    @Option(parsing: .unconditional, help: "Grid step for real values (default: a power of ten 4 digits below the largest bound).")
    var granularity: String?
    @Option(help: "Dataset charged in the ledger (default: the data file's name).") var dataset: String?
    @Option(help: "Output format: table or json.") var format: DPCommand.Format = .table

    /// Plans, checks the data, charges the ledger, then draws the noise.
    func run(_ kind: DPQuery.Kind) throws {
        let query = try DPQuery(
            kind, column: column, epsilon: try DPCommand.exact(epsilon, "--epsilon"),
            bounds: try bounds.map { try ClampBounds(parsing: $0) },
            granularity: try granularity.map { try Granularity(try DPCommand.exact($0, "--granularity")) })
        let opened = try ledger.open(create: false)
        let prepared = try query.prepare(try CSVReader.table(contentsOf: data))
        let name = dataset ?? URL(fileURLWithPath: data).lastPathComponent
        let release = try opened.charge(
            query.cost, dataset: name, analyst: ledger.analystName, mechanism: "discrete_laplace",
            parameters: query.parametersJSON) { try prepared.release() }
        if format == .json {
            try printJSON(release)
        } else {
            print("\(release.query)(\(release.column)) = \(release.value)  [ε \(release.epsilon), discrete Laplace; charged to '\(name)' / '\(ledger.analystName)']")
        }
    }
}

extension DPCommand {
    /// A positive (or, with `allowZero`, non-negative) exact number from an option, as a usage error otherwise.
    static func exact(_ text: String, _ option: String, allowZero: Bool = false) throws -> Rational {
        let value: Rational
        do {
            value = try Rational(parsing: text)
        } catch let error as CustosError {
            throw CustosError(.usage, "\(option): \(error.message)")
        }
        guard allowZero || !value.isZero else { throw CustosError(.usage, "\(option) must be positive, got \(text)") }
        return value
    }

    /// `custos dp count`.
    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "DP count of a column's present values (discrete Laplace, scale 1/ε).")
        @OptionGroup var query: DPQueryCommand
        func run() throws { try query.run(.count) }
    }

    /// `custos dp sum`.
    struct Sum: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "DP sum of a column clamped to --bounds (discrete Laplace on the grid).")
        @OptionGroup var query: DPQueryCommand
        func run() throws { try query.run(.sum) }
    }

    /// `custos dp mean`.
    struct Mean: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "DP mean of a column clamped to --bounds (noisy sum / noisy count, ε/2 each).")
        @OptionGroup var query: DPQueryCommand
        func run() throws { try query.run(.mean) }
    }
}
