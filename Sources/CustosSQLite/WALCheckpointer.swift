import CustosCore
import Dispatch
import GRDB
import Synchronization

/// Runs a database's WAL checkpoints on a background thread, so no commit waits for one.
///
/// By default SQLite checkpoints inside the commit that grows the WAL past 1,000 pages. That commit then
/// writes those pages back into the database file and syncs it, which takes tens of milliseconds on an
/// ordinary disk. The gateway commits its audit records and request index while requests wait, so every
/// thousandth page of log made one group of requests that much slower (fixed-rate p99 of 190 ms at 300
/// requests/s, `custos-bench gateway --rate 300`).
///
/// With a checkpointer, the writing connection checkpoints in line only past `inlineFallbackPages`, a safety
/// valve for when background checkpoints cannot keep up. A second connection on the same file runs a
/// `PASSIVE` checkpoint every `interval` seconds. A passive checkpoint takes no write lock and waits for no
/// reader or writer: it copies what it can while commits go on. Durability does not change: a commit is durable
/// once its WAL frames are synced, checkpointed or not.
public final class WALCheckpointer: Sendable {
    /// WAL pages past which the writer checkpoints in line anyway (about 40 MB of 4 KB pages).
    public static let inlineFallbackPages = 10_000

    /// The pragma a writing connection runs so its commits leave checkpoints to the checkpointer.
    public static let writerPragma = "PRAGMA wal_autocheckpoint = \(inlineFallbackPages)"

    private let connection: DatabaseQueue
    private let path: String
    private let what: String
    private let interval: Double
    private let stopped = Atomic<Bool>(false)
    private let thread = DispatchQueue(label: "custos.sqlite.checkpoint", qos: .utility)

    /// Starts checkpointing the WAL of the database at `path` (already created, in WAL mode) every `interval`
    /// seconds. `what` names the store in error messages.
    public init(path: String, what: String, interval: Double = 0.5) throws {
        self.path = path
        self.what = what
        self.interval = interval
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteDatabase.busyTimeoutSeconds)
        do {
            connection = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw CustosError(.io, "cannot open \(what) for checkpoints: \(error)", at: SourceLocation(file: path))
        }
        schedule()
    }

    deinit { stop() }

    /// Stops the background checkpoints (pending commits stay durable; the next open checkpoints the rest).
    public func stop() { stopped.store(true, ordering: .releasing) }

    /// What one checkpoint did: WAL frames in all, and frames now copied into the database file; both -1 when
    /// another connection was checkpointing at that moment (SQLite's answer; nothing was done).
    public struct Progress: Sendable, Equatable {
        public var walFrames: Int
        public var checkpointedFrames: Int
    }

    /// Runs one passive checkpoint now.
    @discardableResult
    public func checkpoint() throws -> Progress {
        try SQLiteDatabase.run(what, path: path) {
            try connection.writeWithoutTransaction { db in
                guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") else {
                    return Progress(walFrames: 0, checkpointedFrames: 0)
                }
                return Progress(walFrames: row[1] ?? 0, checkpointedFrames: row[2] ?? 0)
            }
        }
    }

    private func schedule() {
        thread.asyncAfter(deadline: .now() + interval) { [weak self] in
            guard let self, !self.stopped.load(ordering: .acquiring) else { return }
            // A failed checkpoint is retried next time; the writer's fallback bounds the WAL meanwhile.
            _ = try? self.checkpoint()
            self.schedule()
        }
    }
}
