import ArgumentParser
import CustosCore
import CustosPrivacy
import Foundation

/// The options of `custos dp count|sum|mean|histogram|quantile`: one DP aggregate of a CSV column, charged to
/// the ledger before any noise is drawn.
struct DPQueryCommand: ParsableCommand {
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "CSV file.") var data: String
    @Option(help: "Column to aggregate.") var column: String
    @Option(parsing: .unconditional, help: "ε to spend (positive; read exactly).") var epsilon: String
    @Option(parsing: .unconditional, help: "δ to spend, in [0, 1); above 0 the noise is the discrete Gaussian (not for quantile).")
    var delta = "0"
    @Option(help: "Clamping bounds 'lo,hi' (sum, mean, quantile).") var bounds: String?
    @Option(parsing: .unconditional, help: "Grid step for real values (default: a power of ten 4 digits below the largest bound).")
    var granularity: String?
    @Option(help: "Declared categories 'a,b,c' (histogram); other values are ignored.") var categories: String?
    @Option(parsing: .unconditional, help: "The quantile p in [0, 1] (quantile; read exactly).") var quantile = "0.5"
    @Option(help: "Group by this column (with --groups).") var by: String?
    @Option(help: "Declared groups 'a,b,c' for --by; rows in other groups are ignored.") var groups: String?
    @Option(name: .customLong("user-id"), help: "User-id column: bound each user's rows (the privacy unit becomes a user).")
    var userID: String?
    @Option(parsing: .unconditional, help: "Rows kept per user with --user-id (the first ones in file order).") var maxRowsPerUser = 1
    @Option(help: "Dataset charged in the ledger (default: the data file's name).") var dataset: String?
    @Option(help: "Output format: table or json.") var format: DPCommand.Format = .table

    /// Plans, checks the data, charges the ledger, then draws the noise.
    func run(_ kind: DPQuery.Kind) throws {
        if by != nil && groups == nil { throw CustosError(.usage, "--by needs --groups (the groups to release, declared in advance)") }
        if groups != nil && by == nil { throw CustosError(.usage, "--groups needs --by") }
        let query = try DPQuery(
            kind, column: column, epsilon: try DPCommand.exact(epsilon, "--epsilon"),
            delta: try DPCommand.exact(delta, "--delta", allowZero: true),
            bounds: try bounds.map { try ClampBounds(parsing: $0) },
            granularity: try granularity.map { try Granularity(try DPCommand.exact($0, "--granularity")) },
            categories: categories.map(Self.list),
            quantile: kind == .quantile ? try DPCommand.exact(quantile, "--quantile", allowZero: true) : nil,
            groups: try by.map { try DeclaredGroups(column: $0, groups: Self.list(groups ?? "")) },
            contributionBound: try userID.map { try ContributionBound(userColumn: $0, maxRows: maxRowsPerUser) })
        let opened = try ledger.open(create: false)
        let prepared = try query.prepare(try CSVReader.table(contentsOf: data))
        let name = dataset ?? URL(fileURLWithPath: data).lastPathComponent
        let release = try opened.charge(
            query.cost, dataset: name, analyst: ledger.analystName, mechanism: query.mechanism,
            parameters: query.parametersJSON) { try prepared.release() }
        if format == .json {
            try printJSON(release)
            return
        }
        for value in release.values {
            var cell = ""
            if let group = value.group { cell += " [\(release.by ?? "group")=\(group)]" }
            if let category = value.category { cell += " [\(category)]" }
            print("\(release.query)(\(release.column))\(cell) = \(value.value)")
        }
        printError("spent ε \(release.epsilon), δ \(release.delta) (\(release.mechanism)) of the budget of '\(name)' / '\(ledger.analystName)'")
    }

    /// `a,b,c` → ["a", "b", "c"] (empty parts dropped).
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
        static let configuration = CommandConfiguration(abstract: "DP count of a column's present values (discrete Laplace, scale L/ε).")
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

    /// `custos dp histogram`.
    struct Histogram: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "DP counts of the declared --categories (discrete Laplace, scale L/ε each).")
        @OptionGroup var query: DPQueryCommand
        func run() throws { try query.run(.histogram) }
    }

    /// `custos dp quantile`.
    struct Quantile: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "DP quantile (--quantile p) of a column in --bounds, by the exponential mechanism on the grid.")
        @OptionGroup var query: DPQueryCommand
        func run() throws { try query.run(.quantile) }
    }
}
