import CustosCore
import CustosSQLite
import Foundation
import GRDB
import Logging
import Synchronization

/// Which audit record belongs to which request, in `gateway.sqlite`: how feedback finds the request it rates
/// and how the admin routes find a decision by request id. The audit log stays the source of truth (this index
/// is written after the record is durable, in batches); a lost index row loses a lookup, never a record.
///
/// The gateway queues entries (`enqueue`) rather than writing them while the request waits: a background task
/// writes them a few milliseconds later, many per transaction, and every lookup through this value writes what is
/// queued first, so a caller's next request (feedback on the answer it just got) always finds its entry. Entries
/// still queued when the process dies are lost, as the `synchronous = NORMAL` setting already allows for the last
/// ones written.
public final class RequestIndex: Sendable {
    /// One indexed request.
    public struct Entry: Sendable, Equatable, Codable {
        /// `req_…`.
        public var requestID: String
        /// Its record's index in the audit log.
        public var auditIndex: Int
        /// The key name that made it.
        public var caller: String
        /// The gateway's action.
        public var action: String
        /// Seconds since 1970.
        public var time: Double

        /// An entry for `requestID`'s record at `auditIndex`.
        public init(requestID: String, auditIndex: Int, caller: String, action: String, time: Double) {
            self.requestID = requestID
            self.auditIndex = auditIndex
            self.caller = caller
            self.action = action
            self.time = time
        }

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case auditIndex = "audit_index"
            case caller, action, time
        }
    }

    private let queue: DatabaseQueue
    private let path: String
    /// WAL checkpoints off the write path: the index is written while requests wait for their answer.
    private let checkpointer: WALCheckpointer
    /// Entries queued for the background write, and whether a write task is on its way.
    private let queued = Mutex<(entries: [Entry], scheduled: Bool)>(([], false))

    /// Opens (creating) the index in the gateway database.
    public init(path: String) throws {
        self.path = path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-request-index") { db in
            try db.create(table: "request_index") { t in
                t.column("request_id", .text).notNull()
                t.column("audit_index", .integer).notNull()
                t.column("caller", .text).notNull()
                t.column("action", .text).notNull()
                t.column("time", .double).notNull()
                t.primaryKey(["request_id", "audit_index"])
            }
            try db.create(index: "request_index_time", on: "request_index", columns: ["time"])
        }
        queue = try SQLiteDatabase.open(path: path, what: "the gateway request index", migrator: migrator) { config in
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: WALCheckpointer.writerPragma)
            }
        }
        checkpointer = try WALCheckpointer(path: path, what: "the gateway request index")
    }

    /// Adds entries now, with whatever is queued.
    public func add(_ entries: [Entry]) throws {
        queued.withLock { $0.entries += entries }
        try flush()
    }

    /// How long queued entries wait for more before the background write: one transaction then serves every
    /// request of that window, instead of one transaction (and a thread woken for it) per request.
    static let writeDelay: Duration = .milliseconds(20)

    /// Queues entries for a background task to write after `writeDelay` (with whatever else queues meanwhile);
    /// returns at once. A failed write is logged to `logger`: those entries' lookups are lost, their audit records
    /// are not.
    public func enqueue(_ entries: [Entry], logger: Logger) {
        guard !entries.isEmpty else { return }
        let start = queued.withLock { queued in
            queued.entries += entries
            defer { queued.scheduled = true }
            return !queued.scheduled
        }
        guard start else { return }
        Task.detached {
            try? await Task.sleep(for: Self.writeDelay)
            do {
                try self.flush()
            } catch {
                logger.warning("request index write failed; those requests cannot be looked up by id", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Writes the queued entries. They are taken from the queue inside the write transaction, so a read that
    /// follows a flush on this index (its queue is serial) sees every entry queued before the flush.
    public func flush() throws {
        try SQLiteDatabase.run("the gateway request index", path: path) {
            try queue.write { db in
                let entries = queued.withLock { queued in
                    defer { queued = ([], false) }
                    return queued.entries
                }
                let insert = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO request_index (request_id, audit_index, caller, action, time) VALUES (?, ?, ?, ?, ?)")
                for e in entries {
                    try insert.execute(arguments: [e.requestID, e.auditIndex, e.caller, e.action, e.time])
                }
            }
        }
    }

    /// The entries of a request (a streamed request has a start and an end record), oldest first.
    public func entries(requestID: String) throws -> [Entry] {
        try flush()
        return try SQLiteDatabase.run("the gateway request index", path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM request_index WHERE request_id = ? ORDER BY audit_index", arguments: [requestID])
                    .map(Self.entry)
            }
        }
    }

    /// The latest `limit` entries, newest first.
    public func latest(limit: Int) throws -> [Entry] {
        try flush()
        return try SQLiteDatabase.run("the gateway request index", path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM request_index ORDER BY audit_index DESC LIMIT ?", arguments: [limit])
                    .map(Self.entry)
            }
        }
    }

    private static func entry(_ row: Row) -> Entry {
        Entry(requestID: row["request_id"], auditIndex: row["audit_index"], caller: row["caller"], action: row["action"], time: row["time"])
    }
}
