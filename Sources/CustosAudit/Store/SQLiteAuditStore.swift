import CustosCore
import CustosSQLite
import Foundation
import GRDB
import GRDBSQLite

/// The default `AuditStore`: one SQLite file through GRDB (WAL, `synchronous = FULL`, numbered
/// migrations). Appends from several processes on one file are serialized by SQLite's write lock
/// (IMMEDIATE transactions) and each reads the tree state inside its transaction, so they form one
/// history. Concurrent appends through one store value are group-committed (`GroupCommit`): those that
/// arrive while a transaction is being written share the next one. `secure_delete` is on, so a forgotten
/// subject key is overwritten on disk, not only unlinked. WAL checkpoints run on a background connection
/// (`WALCheckpointer`), so no append waits for one.
public struct SQLiteAuditStore: AuditStore {
    private let queue: DatabaseQueue
    private let group: GroupCommit
    /// WAL checkpoints off the append path (see `WALCheckpointer`).
    private let checkpointer: WALCheckpointer
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the store at `path` and migrates it.
    public init(path: String) throws {
        self.path = path
        let queue = try SQLiteDatabase.open(path: path, what: "the audit store", migrator: Self.migrator) { configuration in
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.execute(sql: WALCheckpointer.writerPragma)
            }
        }
        self.queue = queue
        checkpointer = try WALCheckpointer(path: path, what: "the audit store")
        group = GroupCommit { appends in
            try await SQLiteDatabase.run("audit store", path: path) { try await Self.write(appends, to: queue) }
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
        // The tree state moves into one row (the frontier), and tree heads are kept per append instead
        // of per entry; subject keys for payload encryption.
        migrator.registerMigration("2-frontier-heads-subject-keys") { db in
            try db.execute(sql: """
                CREATE TABLE tree_state (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, frontier BLOB NOT NULL);
                CREATE TABLE head (size INTEGER PRIMARY KEY, root BLOB NOT NULL);
                CREATE TABLE subject_key (key_id TEXT PRIMARY KEY, subject TEXT NOT NULL UNIQUE, master_key_id TEXT NOT NULL, wrapped BLOB NOT NULL);
                INSERT INTO head (size, root) SELECT idx + 1, root FROM entry;
                """)
            var frontier = MerkleFrontier()
            let hashes = try Data.fetchAll(db, sql: "SELECT leaf_hash FROM entry ORDER BY idx")
            for hash in hashes { frontier.append(leafHash: Array(hash)) }
            try db.execute(sql: "INSERT INTO tree_state (id, size, frontier) VALUES (1, ?, ?)",
                           arguments: [frontier.size, Data(frontier.serialized)])
            try db.execute(sql: "ALTER TABLE entry DROP COLUMN root")
        }
        return migrator
    }

    /// Appends in one IMMEDIATE transaction (shared with appends arriving concurrently): state read, entries,
    /// head and state written together.
    public func append(_ leaves: HashedLeaves) async throws -> AppendBatch {
        try await group.append(leaves)
    }

    /// Entries written per INSERT statement: one multi-row statement instead of one per row saves SQLite's
    /// per-statement work (reset, bind validation, VDBE start) on most rows; 64 rows × 3 values stay far below
    /// SQLite's limit on bound parameters (32,766). Measured with `custos-bench audit` (docs/audit.md).
    static let rowsPerInsert = 64

    /// `INSERT INTO entry … VALUES (?, ?, ?), …` for `rows` rows (statements are cached per row count).
    private static func insertSQL(rows: Int) -> String {
        "INSERT INTO entry (idx, leaf, leaf_hash) VALUES " + Array(repeating: "(?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The statement text for a full chunk of `rowsPerInsert` rows, built once (the SQL is also the statement
    /// cache's key, hashed on every lookup).
    private static let fullInsertSQL = insertSQL(rows: rowsPerInsert)

    /// Writes appends in order in one transaction: each extends the frontier the previous one left and records
    /// its own tree head; the state row is written once. First checks, under the same write lock as `forget`,
    /// that the data keys the payloads were sealed under still exist; an append sealed under a missing one is
    /// refused, the others are written. Every statement is prepared once per connection (cached): preparing them
    /// on each append was half of the transaction's own time.
    private static func write(_ appends: [HashedLeaves], to queue: DatabaseQueue) async throws -> [AppendOutcome] {
        try await queue.write { db in
            let keyIDs = Set(appends.flatMap(\.sealedUnder))
            var missing: Set<String> = []
            if !keyIDs.isEmpty {
                let exists = try db.cachedStatement(sql: "SELECT 1 FROM subject_key WHERE key_id = ?")
                for id in keyIDs where try Int.fetchOne(exists, arguments: [id]) == nil { missing.insert(id) }
            }
            var frontier = try Self.frontier(db)
            var outcomes: [AppendOutcome] = []
            outcomes.reserveCapacity(appends.count)
            for leaves in appends {
                if let refusal = leaves.refusal(missing: missing) {
                    outcomes.append(.failure(refusal))
                    continue
                }
                let batch = AppendBatch(extending: frontier, with: leaves)
                try insertEntries(db, first: batch.first, leaves: leaves)
                if !leaves.isEmpty {
                    try db.cachedStatement(sql: "INSERT INTO head (size, root) VALUES (?, ?)")
                        .execute(arguments: [batch.head.size, Data(batch.head.root)])
                }
                frontier = batch.frontier
                outcomes.append(.success(batch))
            }
            try db.cachedStatement(sql: "UPDATE tree_state SET size = ?, frontier = ? WHERE id = 1")
                .execute(arguments: [frontier.size, Data(frontier.serialized)])
            return outcomes
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: a bound blob is copied before the bind returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Inserts the entries `first…` with multi-row statements, binding each value straight to SQLite: GRDB's
    /// `StatementArguments` (a `DatabaseValue` per value, built through key paths) took over half of the store's
    /// time in an append, more than SQLite itself (perf, `custos-bench audit`, docs/audit.md).
    private static func insertEntries(_ db: Database, first: Int, leaves: HashedLeaves) throws {
        var k = 0
        while k < leaves.count {
            let rows = min(rowsPerInsert, leaves.count - k)
            let sql = rows == rowsPerInsert ? fullInsertSQL : insertSQL(rows: rows)
            let handle = try db.cachedStatement(sql: sql).sqliteStatement
            var code = sqlite3_reset(handle)
            var parameter: Int32 = 1
            for j in k..<(k + rows) where code == SQLITE_OK {
                code = sqlite3_bind_int64(handle, parameter, Int64(first + j))
                if code == SQLITE_OK { code = bindBlob(handle, parameter + 1, leaves.leaves[j]) }
                if code == SQLITE_OK { code = bindBlob(handle, parameter + 2, leaves.hashes[j]) }
                parameter += 3
            }
            if code == SQLITE_OK { code = sqlite3_step(handle) }
            let message = code == SQLITE_DONE ? nil : db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: "INSERT INTO entry (\(rows) rows)")
            }
            k += rows
        }
    }

    private static func bindBlob(_ handle: SQLiteStatement, _ parameter: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return sqlite3_bind_zeroblob(handle, parameter, 0) }
            return sqlite3_bind_blob(handle, parameter, base, Int32(buffer.count), transient)
        }
    }

    /// The stored tree state.
    public func frontier() async throws -> MerkleFrontier {
        try await run { try await queue.read { db in try Self.frontier(db) } }
    }

    private static let frontierSQL = "SELECT size, frontier FROM tree_state WHERE id = 1"

    /// Read with SQLite's column functions: GRDB's `Row` (a copy of every column, decoded through generics) was
    /// ~13 µs of a gateway request's CPU, four times the row insert, and every append reads this row.
    private static func frontier(_ db: Database) throws -> MerkleFrontier {
        let handle = try db.cachedStatement(sql: frontierSQL).sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_DONE:
            return MerkleFrontier()
        case SQLITE_ROW:
            guard sqlite3_column_type(handle, 0) == SQLITE_INTEGER else {
                throw CustosError(.invalidInput, "corrupt tree state: its size is not an integer")
            }
            let size = Int(sqlite3_column_int64(handle, 0))
            // The blob's pointer first, then its length (SQLite's rule); NULL reads as empty.
            let base = sqlite3_column_blob(handle, 1)
            let count = Int(sqlite3_column_bytes(handle, 1))
            let bytes = base.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
            return try MerkleFrontier(size: size, serialized: bytes)
        default:
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: frontierSQL)
        }
    }

    /// Entries with index ≥ `start`, in index order.
    public func entries(from start: Int, limit: Int) async throws -> [StoredEntry] {
        try await run {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT idx, leaf, leaf_hash FROM entry WHERE idx >= ? ORDER BY idx LIMIT ?",
                                 arguments: [start, limit]).map(Self.entry)
            }
        }
    }

    /// The entry at `index`.
    public func entry(at index: Int) async throws -> StoredEntry {
        let entry = try await run {
            try await queue.read { db in
                try Row.fetchOne(db, sql: "SELECT idx, leaf, leaf_hash FROM entry WHERE idx = ?", arguments: [index]).map(Self.entry)
            }
        }
        guard let entry else { throw CustosError(.invalidInput, "no entry at index \(index)") }
        return entry
    }

    /// Leaf hashes in index order.
    public func leafHashes() async throws -> [Hash] {
        try await run {
            try await queue.read { db in try Data.fetchAll(db, sql: "SELECT leaf_hash FROM entry ORDER BY idx").map { Array($0) } }
        }
    }

    /// Tree heads recorded after each append.
    public func heads() async throws -> [TreeHead] {
        try await run {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT size, root FROM head ORDER BY size").map { row in
                    TreeHead(size: row["size"], root: Array(row["root"] as Data? ?? Data()))
                }
            }
        }
    }

    /// Saves a signed checkpoint.
    public func saveCheckpoint(size: Int, note: String) async throws {
        try await run {
            try await queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO checkpoint (size, note) VALUES (?, ?)", arguments: [size, note])
            }
        }
    }

    /// Every saved checkpoint.
    public func checkpoints() async throws -> [StoredCheckpoint] {
        try await run {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT size, note FROM checkpoint ORDER BY size").map { row in
                    StoredCheckpoint(size: row["size"], note: row["note"])
                }
            }
        }
    }

    /// The largest checkpointed size.
    public func latestCheckpointSize() async throws -> Int? {
        try await run {
            try await queue.read { db in try Int.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoint") }
        }
    }

    /// The subject's data key, created by `make` inside the write transaction when missing.
    public func subjectKey(for subject: String, make: @Sendable () throws -> WrappedKey) async throws -> WrappedKey {
        try await run {
            try await queue.write { db in
                if let row = try Row.fetchOne(db, sql: "SELECT key_id, master_key_id, wrapped FROM subject_key WHERE subject = ?", arguments: [subject]) {
                    return Self.wrappedKey(row)
                }
                let key = try make()
                try db.execute(sql: "INSERT INTO subject_key (key_id, subject, master_key_id, wrapped) VALUES (?, ?, ?, ?)",
                               arguments: [key.keyID, subject, key.masterKeyID, Data(key.wrapped)])
                return key
            }
        }
    }

    /// A wrapped key by id, unless forgotten.
    public func wrappedKey(id: String) async throws -> WrappedKey? {
        try await run {
            try await queue.read { db in
                try Row.fetchOne(db, sql: "SELECT key_id, master_key_id, wrapped FROM subject_key WHERE key_id = ?", arguments: [id]).map(Self.wrappedKey)
            }
        }
    }

    /// Deletes the subject's key (pages overwritten by `secure_delete`), then checkpoints and truncates the
    /// WAL so no copy of the key survives in the journal either.
    public func forget(subject: String) async throws -> [String] {
        try await run {
            let ids = try await queue.write { db in
                let ids = try String.fetchAll(db, sql: "SELECT key_id FROM subject_key WHERE subject = ?", arguments: [subject])
                try db.execute(sql: "DELETE FROM subject_key WHERE subject = ?", arguments: [subject])
                return ids
            }
            try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            return ids
        }
    }

    private static func entry(_ row: Row) -> StoredEntry {
        let leaf: Data = row["leaf"] ?? Data()
        let hash: Data = row["leaf_hash"] ?? Data()
        return StoredEntry(index: row["idx"], leaf: Array(leaf), leafHash: Array(hash))
    }

    private static func wrappedKey(_ row: Row) -> WrappedKey {
        WrappedKey(keyID: row["key_id"], masterKeyID: row["master_key_id"], wrapped: Array(row["wrapped"] as Data? ?? Data()))
    }

    private func run<T>(_ body: () async throws -> T) async throws -> T {
        try await SQLiteDatabase.run("audit store", path: path, body)
    }
}
