import CustosCore
import GRDB

/// Opens the SQLite files Custos keeps (the audit log, the privacy ledger) the same way: WAL journal,
/// `synchronous = FULL` so a committed transaction survives a power cut and not only a process kill,
/// a busy timeout so concurrent processes wait for the write lock instead of failing, and numbered
/// migrations. GRDB starts write transactions IMMEDIATE, so a read-then-write inside one `write`
/// is serialized across processes.
public enum SQLiteDatabase {
    /// How long a writer waits for another process's write lock before failing.
    public static let busyTimeoutSeconds = 10.0

    /// Opens (creating if needed) the database at `path` and applies `migrator`.
    /// - Parameters:
    ///   - what: the store's name in error messages ("the audit store").
    ///   - configure: extra connection settings (e.g. `foreignKeysEnabled`, more pragmas).
    public static func open(
        path: String, what: String, migrator: DatabaseMigrator,
        configure: (inout Configuration) -> Void = { _ in }
    ) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        configure(&configuration)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try migrator.migrate(queue)
            return queue
        } catch {
            throw CustosError(.io, "cannot open \(what): \(error)", at: SourceLocation(file: path))
        }
    }

    /// Runs `body`, passing Custos errors through and reporting any other failure (SQLite, I/O) as an
    /// I/O error naming the store and its file.
    public static func run<T>(_ what: String, path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.io, "\(what): \(error)", at: SourceLocation(file: path))
        }
    }

    /// The `async` form of `run(_:path:_:)`.
    public static func run<T>(_ what: String, path: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.io, "\(what): \(error)", at: SourceLocation(file: path))
        }
    }
}
