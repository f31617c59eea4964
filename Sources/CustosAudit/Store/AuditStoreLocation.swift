import CustosCore
import Foundation

/// Which store an audit log lives in, as a user names it: the SQLite file under the Custos home (the
/// default), another SQLite file, or a PostgreSQL database by URL. The CLI's `--store` and the gateway
/// both parse it here and open it with `openAuditStore(_:createIfMissing:)`.
public enum AuditStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database, by `postgres://` or `postgresql://` URL (checked when the location is parsed).
    case postgres(url: String)

    /// The SQLite file's name under the Custos home.
    public static let defaultFileName = "audit.sqlite"

    /// The default: `audit.sqlite` under `home`.
    public init(home: CustosHome) {
        self = .sqlite(path: home.root.appendingPathComponent(Self.defaultFileName).path)
    }

    /// Parses a user's choice: `nil` or empty for the default under `home`; `postgres://user:password@host:port/db`
    /// or `postgresql://…` (with optional `?sslmode=…`) for PostgreSQL; `sqlite:PATH` or a plain file path for SQLite.
    /// A malformed URL or another scheme is a usage error that says what is expected.
    public init(parsing text: String?, home: CustosHome) throws {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            self.init(home: home)
            return
        }
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:") {
            _ = try PostgresEndpoint(url: text)
            self = .postgres(url: text)
        } else if lowered.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw CustosError(.usage, "'sqlite:' needs a file path, e.g. sqlite:/var/lib/custos/audit.sqlite") }
            self = .sqlite(path: (path as NSString).expandingTildeInPath)
        } else if let scheme = text.range(of: "://").map({ String(text[..<$0.lowerBound]) }) {
            throw CustosError(.usage, "unsupported audit store '\(scheme)://…'; use postgres://user:password@host:port/database or a SQLite file path")
        } else {
            self = .sqlite(path: (text as NSString).expandingTildeInPath)
        }
    }

    /// The location for messages: the file path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return (try? PostgresEndpoint(url: url).description) ?? PostgresEndpoint.redacting(url)
        }
    }
}

/// Opens the audit store at `location`. With `createIfMissing` false, a location that holds no log yet (no
/// SQLite file, no Custos schema in the database) is a usage error naming `custos audit init`; with true it is
/// created and migrated. Call `close()` on the store when done (it releases PostgreSQL's connection pool), or
/// use `withAuditStore(at:createIfMissing:_:)`.
public func openAuditStore(_ location: AuditStoreLocation, createIfMissing: Bool = true) async throws -> any AuditStore {
    switch location {
    case .sqlite(let path):
        if !FileManager.default.fileExists(atPath: path) {
            guard createIfMissing else { throw CustosError(.usage, "no audit log at \(path); run `custos audit init` first") }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CustosError(.io, "cannot create the directory for the audit log: \(error.localizedDescription)", at: SourceLocation(file: directory.path))
            }
        }
        return try SQLiteAuditStore(path: path)
    case .postgres(let url):
        return try await PostgresAuditStore.open(url: url, createIfMissing: createIfMissing)
    }
}

/// Opens the store at `location`, runs `body` with it and closes it, whether `body` returns or throws.
public func withAuditStore<T: Sendable>(
    at location: AuditStoreLocation, createIfMissing: Bool = true, _ body: (any AuditStore) async throws -> T
) async throws -> T {
    let store = try await openAuditStore(location, createIfMissing: createIfMissing)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}
