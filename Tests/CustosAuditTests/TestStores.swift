import CustosAudit
import CustosCore
import Foundation
import GRDB
import PostgresNIO
import Testing

/// The store implementations every behavioural test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A value bound into tampering SQL (written as `?`), the same for both dialects.
enum SQLValue: Sendable {
    case int(Int)
    case bytes([UInt8])
    case text(String)
}

/// The PostgreSQL server the tests use: `CUSTOS_TEST_POSTGRES_URL` (scripts/test starts a throwaway server and
/// sets it). Without it the PostgreSQL tests fail, never skip: a green run must have exercised the store.
enum TestPostgres {
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CUSTOS_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw CustosError(.usage, """
                CUSTOS_TEST_POSTGRES_URL is not set: the PostgreSQL audit store tests need a server \
                (scripts/test starts a throwaway one; or set it to postgres://user:password@host:port/db of a role that may CREATE DATABASE)
                """)
        }
        return url
    }

    /// `url` with its database replaced.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw CustosError(.usage, "CUSTOS_TEST_POSTGRES_URL does not parse") }
        components.path = "/" + database
        guard let text = components.string else { throw CustosError(.usage, "CUSTOS_TEST_POSTGRES_URL does not parse") }
        return text
    }

    /// Runs `body` on a direct connection to `url`'s database.
    static func withConnection<T: Sendable>(_ url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let endpoint = try PostgresEndpoint(url: url)
        let configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username, password: endpoint.password,
            database: endpoint.database,
            tls: endpoint.tls == .disable ? .disable : .prefer(try NIOSSLContext(configuration: .makeClientConfiguration())))
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static let logger = Logger(label: "custos.tests.postgres")

    /// A fresh database with a random name; returns its URL.
    static func createDatabase() async throws -> (name: String, url: String) {
        let admin = try url()
        let name = "custos_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withConnection(admin) { db in
            _ = try await db.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        return (name, try url(admin, database: name))
    }

    /// Drops a database made by `createDatabase`, closing any connection left open to it.
    static func dropDatabase(_ name: String) async {
        guard let admin = try? url() else { return }
        try? await withConnection(admin) { db in
            _ = try await db.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// SQL with each `?` replaced by the next value as a literal (tests only: values come from the test itself).
    static func inline(_ sql: String, _ values: [SQLValue]) -> String {
        var values = values[...]
        var out = ""
        for character in sql {
            guard character == "?", let value = values.popFirst() else {
                out.append(character)
                continue
            }
            switch value {
            case .int(let n): out += String(n)
            case .bytes(let bytes): out += "'\\x\(bytes.hexString)'::bytea"
            case .text(let text): out += "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            }
        }
        return out
    }
}

/// An empty audit store of one kind in its own file or database, with raw SQL access (as an attacker with
/// database access has) and cleanup.
struct TestStore: Sendable {
    let kind: StoreKind
    let location: AuditStoreLocation
    /// The SQLite directory or the PostgreSQL database name, removed by `remove()`.
    private let resource: String

    static func make(_ kind: StoreKind) async throws -> TestStore {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-audit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return TestStore(kind: kind, location: .sqlite(path: dir.appendingPathComponent("audit.sqlite").path), resource: dir.path)
        case .postgres:
            let (name, url) = try await TestPostgres.createDatabase()
            return TestStore(kind: kind, location: .postgres(url: url), resource: name)
        }
    }

    /// Opens (creating) the store.
    func open() async throws -> any AuditStore { try await openAuditStore(location) }

    /// Runs statements (each may use `?` placeholders) in one transaction, behind the store's back.
    func execute(_ statements: [(sql: String, values: [SQLValue])]) async throws {
        switch location {
        case .sqlite(let path):
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                for (sql, values) in statements {
                    let arguments = StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
                        switch value {
                        case .int(let n): return n
                        case .bytes(let bytes): return Data(bytes)
                        case .text(let text): return text
                        }
                    })
                    try db.execute(sql: sql, arguments: arguments)
                }
            }
        case .postgres(let url):
            try await TestPostgres.withConnection(url) { db in
                try await db.query("BEGIN", logger: TestPostgres.logger)
                try await db.query("SET LOCAL search_path TO custos_audit", logger: TestPostgres.logger)
                for (sql, values) in statements {
                    for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                        try await db.query(PostgresQuery(unsafeSQL: TestPostgres.inline(String(statement), values)), logger: TestPostgres.logger)
                    }
                }
                try await db.query("COMMIT", logger: TestPostgres.logger)
            }
        }
    }

    /// One statement.
    func execute(_ sql: String, _ values: [SQLValue] = []) async throws {
        try await execute([(sql, values)])
    }

    /// Deletes the file or drops the database.
    func remove() async {
        switch kind {
        case .sqlite: try? FileManager.default.removeItem(atPath: resource)
        case .postgres: await TestPostgres.dropDatabase(resource)
        }
    }

    /// Runs `body` with a fresh store of `kind`, then removes it, whether `body` returns or throws.
    static func with<T: Sendable>(_ kind: StoreKind, _ body: (TestStore) async throws -> T) async throws -> T {
        let store = try await make(kind)
        do {
            let result = try await body(store)
            await store.remove()
            return result
        } catch {
            await store.remove()
            throw error
        }
    }
}
