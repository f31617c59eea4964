import CustosCore
import CustosSQLite
import Foundation
import GRDB

/// One unit of work of an evaluation run: a prompt sent once to the target.
public struct RunItem: Sendable, Equatable {
    /// Stable key ("p3/women/a woman/s2"): what makes a rerun skip finished work.
    public var key: String
    /// The messages sent.
    public var messages: [ChatTurn]
    /// Labels reports group by (prompt index, group, family…), stored with the result.
    public var labels: [String: String]

    /// An item.
    public init(key: String, messages: [ChatTurn], labels: [String: String]) {
        self.key = key
        self.messages = messages
        self.labels = labels
    }
}

/// A finished item as stored.
public struct RunRecord: Sendable, Equatable {
    /// The item's key.
    public var key: String
    /// Its labels.
    public var labels: [String: String]
    /// `done` or `failed`.
    public var status: String
    /// The answer (done) or "" (failed).
    public var answer: String
    /// Why it failed.
    public var error: String?
    /// Calls made, retries included.
    public var attempts: Int
    /// Scores computed from the answer, by name.
    public var scores: [String: Double]
    /// Token counts the target reported.
    public var promptTokens: Int?
    /// See `promptTokens`.
    public var completionTokens: Int?
    /// Seconds from the first call to the answer.
    public var seconds: Double
}

/// Where an evaluation run keeps its results: one SQLite file (WAL, durable commits), one row per finished item,
/// committed as each item finishes, so a run killed at any moment loses only the items in flight and a rerun with
/// the same store skips every item already done (failed ones are tried again).
///
/// The run's fingerprint (kind, target, settings, the hash of its item list) is stored at creation; a store made
/// for a different run is refused rather than mixed.
public final class RunStore: Sendable {
    /// The file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens or creates the store; `fingerprint` must match the one stored (when there is one).
    public init(path: String, fingerprint: [String: String]) throws {
        self.path = path
        queue = try SQLiteDatabase.open(path: path, what: "the run store", migrator: Self.migrator)
        let stored = try SQLiteDatabase.run("the run store", path: path) {
            try queue.write { db -> [String: String] in
                let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM run_meta")
                if rows.isEmpty {
                    for (key, value) in fingerprint {
                        try db.execute(sql: "INSERT INTO run_meta (key, value) VALUES (?, ?)", arguments: [key, value])
                    }
                    return fingerprint
                }
                return Dictionary(rows.map { ($0["key"] as String, $0["value"] as String) }, uniquingKeysWith: { a, _ in a })
            }
        }
        if let mismatch = fingerprint.keys.sorted().first(where: { stored[$0] != fingerprint[$0] }) {
            throw CustosError(.usage, "the run store was made for another run (its \(mismatch) is '\(stored[mismatch] ?? "—")', this run's is "
                + "'\(fingerprint[mismatch] ?? "—")'); point the run at a new store file to start over", at: SourceLocation(file: path))
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-run") { db in
            try db.execute(sql: """
                CREATE TABLE run_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE item (
                    key TEXT PRIMARY KEY, labels TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
                    answer TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL, scores TEXT NOT NULL,
                    prompt_tokens INTEGER, completion_tokens INTEGER, seconds REAL NOT NULL, finished_at TEXT NOT NULL);
                """)
        }
        return migrator
    }

    /// Opens an existing store for reading (reports), without a fingerprint to check.
    public init(existing path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CustosError(.invalidInput, "no run store here", at: SourceLocation(file: path))
        }
        self.path = path
        queue = try SQLiteDatabase.open(path: path, what: "the run store", migrator: Self.migrator)
    }

    /// The run's fingerprint as stored (kind, target, settings).
    public func metadata() throws -> [String: String] {
        try SQLiteDatabase.run("the run store", path: path) {
            try queue.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM run_meta").map { ($0["key"] as String, $0["value"] as String) },
                           uniquingKeysWith: { a, _ in a })
            }
        }
    }

    /// Keys of the items already done.
    public func doneKeys() throws -> Set<String> {
        try SQLiteDatabase.run("the run store", path: path) {
            Set(try queue.read { db in try String.fetchAll(db, sql: "SELECT key FROM item WHERE status = 'done'") })
        }
    }

    /// Saves (or replaces) one item's result, durably.
    public func save(_ record: RunRecord) throws {
        let labels = String(decoding: try JSONValue.object(record.labels.mapValues { .string($0) }).jsonBytes(), as: UTF8.self)
        let scores = String(decoding: try JSONValue.object(record.scores.mapValues { .number($0) }).jsonBytes(), as: UTF8.self)
        try SQLiteDatabase.run("the run store", path: path) {
            try queue.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO item (key, labels, status, answer, error, attempts, scores, prompt_tokens, completion_tokens, seconds, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.key, labels, record.status, record.answer, record.error, record.attempts, scores,
                                     record.promptTokens, record.completionTokens, record.seconds, Timestamp.iso8601(Date())])
            }
        }
    }

    /// Every stored item, by key.
    public func records() throws -> [RunRecord] {
        try SQLiteDatabase.run("the run store", path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM item ORDER BY key").map { row in
                    RunRecord(
                        key: row["key"], labels: try Self.strings(row["labels"]), status: row["status"], answer: row["answer"],
                        error: row["error"], attempts: row["attempts"], scores: try Self.numbers(row["scores"]),
                        promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"], seconds: row["seconds"])
                }
            }
        }
    }

    private static func strings(_ text: String) throws -> [String: String] {
        guard case .object(let fields) = try JSONValue.parse(Array(text.utf8)) else { return [:] }
        return fields.compactMapValues(\.stringValue)
    }

    private static func numbers(_ text: String) throws -> [String: Double] {
        guard case .object(let fields) = try JSONValue.parse(Array(text.utf8)) else { return [:] }
        return fields.compactMapValues(\.numberValue)
    }
}
