import CustosCore
import CustosSQLite
import Foundation
import GRDB

/// A privacy budget ledger persisted in SQLite (GRDB): a budget per (dataset, analyst), and every release with
/// its mechanism, parameters and cost. Spending is basic composition of exact (ε, δ) costs.
///
/// `charge` checks the budget, runs the release (which draws the noise) and records it in one IMMEDIATE
/// transaction: a release that would exceed the budget is refused before any noise is drawn, and a failed
/// release (or a failed write) charges nothing. Concurrent processes are serialized by SQLite's write lock.
public struct BudgetLedger: Sendable {
    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the ledger at `path` and migrates it.
    public init(path: String) throws {
        self.path = path
        queue = try SQLiteDatabase.open(path: path, what: "the privacy ledger", migrator: Self.migrator) { configuration in
            configuration.foreignKeysEnabled = true
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-budgets-and-releases") { db in
            try db.execute(sql: """
                CREATE TABLE budget (
                    dataset TEXT NOT NULL, analyst TEXT NOT NULL,
                    epsilon TEXT NOT NULL, delta TEXT NOT NULL,
                    PRIMARY KEY (dataset, analyst));
                CREATE TABLE release (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dataset TEXT NOT NULL, analyst TEXT NOT NULL,
                    mechanism TEXT NOT NULL, parameters TEXT NOT NULL,
                    epsilon TEXT NOT NULL, delta TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    FOREIGN KEY (dataset, analyst) REFERENCES budget (dataset, analyst));
                CREATE INDEX release_by_budget ON release (dataset, analyst, id);
                """)
        }
        return migrator
    }

    /// Sets (or replaces) the budget of `analyst` on `dataset`; what was already spent stays spent.
    public func setBudget(_ limit: PrivacyCost, dataset: String, analyst: String) throws -> BudgetStatus {
        try Self.validate(dataset: dataset, analyst: analyst)
        return try run {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO budget (dataset, analyst, epsilon, delta) VALUES (?, ?, ?, ?)
                        ON CONFLICT (dataset, analyst) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta
                        """,
                    arguments: [dataset, analyst, limit.epsilon.description, limit.delta.description])
                return try Self.status(db, dataset: dataset, analyst: analyst)
            }
        }
    }

    /// The budget of `analyst` on `dataset` and what has been spent.
    public func status(dataset: String, analyst: String) throws -> BudgetStatus {
        try run { try queue.read { db in try Self.status(db, dataset: dataset, analyst: analyst) } }
    }

    /// Every recorded release, oldest first; optionally only one dataset and/or analyst.
    public func history(dataset: String? = nil, analyst: String? = nil) throws -> [LedgerEntry] {
        try run {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, dataset, analyst, mechanism, parameters, epsilon, delta, recorded_at FROM release
                        WHERE (? IS NULL OR dataset = ?) AND (? IS NULL OR analyst = ?) ORDER BY id
                        """,
                    arguments: [dataset, dataset, analyst, analyst]
                ).map(Self.entry)
            }
        }
    }

    /// Charges `cost` to (dataset, analyst) and performs `release`, atomically: refused with an error, before
    /// `release` runs, when the budget would be exceeded; nothing is recorded when `release` throws.
    public func charge<T>(
        _ cost: PrivacyCost, dataset: String, analyst: String, mechanism: String, parameters: String,
        release: () throws -> T
    ) throws -> T {
        var result: T?
        var releaseError: Error?
        try run {
            try queue.inTransaction(.immediate) { db in
                let status = try Self.status(db, dataset: dataset, analyst: analyst)
                guard (status.spent + cost).fits(within: status.limit) else {
                    let left = status.remaining
                    throw CustosError(
                        .invalidInput,
                        "privacy budget exceeded for dataset '\(dataset)', analyst '\(analyst)': this release costs ε=\(cost.epsilon.doubleValue), δ=\(cost.delta.doubleValue) but only ε=\(left.epsilon.doubleValue), δ=\(left.delta.doubleValue) remain; nothing was released or charged")
                }
                do {
                    result = try release()
                } catch {
                    releaseError = error  // rethrown as it is, not as a ledger failure
                    return .rollback
                }
                try db.execute(
                    sql: """
                        INSERT INTO release (dataset, analyst, mechanism, parameters, epsilon, delta, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [dataset, analyst, mechanism, parameters, cost.epsilon.description, cost.delta.description,
                                Date().ISO8601Format()])
                return .commit
            }
        }
        if let releaseError { throw releaseError }
        guard let result else { throw CustosError(.internal, "the release produced no result") }
        return result
    }

    private static func status(_ db: Database, dataset: String, analyst: String) throws -> BudgetStatus {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT epsilon, delta FROM budget WHERE dataset = ? AND analyst = ?", arguments: [dataset, analyst])
        else {
            throw CustosError(.usage, "no privacy budget for dataset '\(dataset)' and analyst '\(analyst)'; set one with `custos dp budget set`")
        }
        let limit = PrivacyCost(unchecked: try Rational(parsing: row["epsilon"]), try Rational(parsing: row["delta"]))
        var spent = PrivacyCost.zero
        var releases = 0
        for cost in try Row.fetchAll(
            db, sql: "SELECT epsilon, delta FROM release WHERE dataset = ? AND analyst = ?", arguments: [dataset, analyst])
        {
            spent = spent + PrivacyCost(unchecked: try Rational(parsing: cost["epsilon"]), try Rational(parsing: cost["delta"]))
            releases += 1
        }
        return BudgetStatus(dataset: dataset, analyst: analyst, limit: limit, spent: spent, releases: releases)
    }

    private static func entry(_ row: Row) throws -> LedgerEntry {
        LedgerEntry(
            id: row["id"], dataset: row["dataset"], analyst: row["analyst"], mechanism: row["mechanism"],
            parameters: row["parameters"],
            cost: PrivacyCost(unchecked: try Rational(parsing: row["epsilon"]), try Rational(parsing: row["delta"])),
            recordedAt: row["recorded_at"])
    }

    private static func validate(dataset: String, analyst: String) throws {
        guard !dataset.isEmpty, !analyst.isEmpty else {
            throw CustosError(.usage, "the dataset and analyst names must not be empty")
        }
    }

    /// Maps GRDB failures to I/O errors; Custos errors pass through.
    private func run<T>(_ body: () throws -> T) throws -> T {
        try SQLiteDatabase.run("privacy ledger", path: path, body)
    }
}
