import CustosCore
import Foundation
import GRDB

/// The default `AuditStore`: one SQLite file through GRDB, in WAL mode with `synchronous = FULL`
/// so an append that returned survives a power cut (not only a process kill), and numbered migrations.
public struct SQLiteAuditStore: AuditStore {
    private let queue: DatabaseQueue
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the store at `path` and migrates it.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try Self.migrator.migrate(queue)
        } catch {
            throw CustosError(.io, "cannot open the audit store: \(error)", at: SourceLocation(file: path))
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-entries-and-checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE entry (idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL, leaf_hash BLOB NOT NULL, root BLOB NOT NULL);
                CREATE TABLE checkpoint (size INTEGER PRIMARY KEY, note TEXT NOT NULL);
                """)
        }
        return migrator
    }

    /// Appends in one transaction; the next index is read inside it, so concurrent appenders on
    /// this file are serialized by SQLite's write lock and never leave a gap.
    public func append(leaves: [[UInt8]], leafHashes: [Hash], roots: [Hash]) throws -> Int {
        precondition(leaves.count == leafHashes.count && leaves.count == roots.count, "one hash and root per leaf")
        return try run {
            try queue.write { db in
                let first = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM entry") ?? 0
                let statement = try db.makeStatement(sql: "INSERT INTO entry (idx, leaf, leaf_hash, root) VALUES (?, ?, ?, ?)")
                for (k, leaf) in leaves.enumerated() {
                    try statement.execute(arguments: [first + k, Data(leaf), Data(leafHashes[k]), Data(roots[k])])
                }
                return first
            }
        }
    }

    /// Number of entries.
    public func count() throws -> Int {
        try run { try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry") ?? 0 } }
    }

    /// Every entry in index order.
    public func entries() throws -> [StoredEntry] {
        try run {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT idx, leaf, leaf_hash, root FROM entry ORDER BY idx").map(Self.entry)
            }
        }
    }

    /// The entry at `index`.
    public func entry(at index: Int) throws -> StoredEntry {
        let row = try run {
            try queue.read { db in try Row.fetchOne(db, sql: "SELECT idx, leaf, leaf_hash, root FROM entry WHERE idx = ?", arguments: [index]) }
        }
        guard let row else { throw CustosError(.invalidInput, "no entry at index \(index)") }
        return Self.entry(row)
    }

    /// Leaf hashes in index order.
    public func leafHashes() throws -> [Hash] {
        try run {
            try queue.read { db in
                try Data.fetchAll(db, sql: "SELECT leaf_hash FROM entry ORDER BY idx").map { Array($0) }
            }
        }
    }

    /// Saves a signed checkpoint.
    public func saveCheckpoint(size: Int, note: String) throws {
        try run {
            try queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO checkpoint (size, note) VALUES (?, ?)", arguments: [size, note])
            }
        }
    }

    /// Every saved checkpoint.
    public func checkpoints() throws -> [(size: Int, note: String)] {
        try run {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT size, note FROM checkpoint ORDER BY size").map { row in
                    (size: row["size"] as Int, note: row["note"] as String)
                }
            }
        }
    }

    private static func entry(_ row: Row) -> StoredEntry {
        let leaf: Data = row["leaf"] ?? Data()
        let hash: Data = row["leaf_hash"] ?? Data()
        let root: Data = row["root"] ?? Data()
        return StoredEntry(index: row["idx"], leaf: Array(leaf), leafHash: Array(hash), root: Array(root))
    }

    private func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.io, "audit store: \(error)", at: SourceLocation(file: path))
        }
    }
}
