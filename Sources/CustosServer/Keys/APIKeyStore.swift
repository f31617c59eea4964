import Crypto
import CustosCore
import CustosSQLite
import Foundation
import GRDB

/// What a key may do.
public enum KeyRole: String, Sendable, Codable, CaseIterable {
    /// Chat, moderations, embeddings, feedback.
    case client
    /// Everything a client may, plus the admin routes (decisions, checkpoints).
    case admin
}

/// A stored API key (never the key itself: its SHA-256).
public struct APIKey: Sendable, Equatable, Codable {
    /// Unique name (`app`, `batch-jobs`), recorded as the caller in every decision.
    public var name: String
    /// What it may do.
    public var role: KeyRole
    /// Hex SHA-256 of the key.
    public var hash: String
    /// The key's first characters, for recognising it in listings.
    public var prefix: String
    /// Its own rate (requests per second), or the gateway's default.
    public var ratePerSecond: Double?
    /// Its own burst, or the gateway's default.
    public var burst: Double?
    /// Its own policy file, or the gateway's.
    public var policy: String?
    /// When it was made.
    public var created: Date
    /// Revoked keys authenticate nothing.
    public var revoked: Bool
}

/// API keys in `$CUSTOS_HOME/gateway.sqlite`. Keys are 32 random bytes shown once (`ck_` + base64url); only their
/// SHA-256 is stored, so a copy of the database lets no one call the gateway.
public final class APIKeyStore: Sendable {
    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating) the store.
    public init(path: String) throws {
        self.path = path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-api-keys") { db in
            try db.create(table: "api_key") { t in
                t.column("name", .text).primaryKey()
                t.column("role", .text).notNull()
                t.column("hash", .text).notNull().unique()
                t.column("prefix", .text).notNull()
                t.column("rate_per_second", .double)
                t.column("burst", .double)
                t.column("policy", .text)
                t.column("created", .double).notNull()
                t.column("revoked", .boolean).notNull().defaults(to: false)
            }
        }
        queue = try SQLiteDatabase.open(path: path, what: "the gateway key store", migrator: migrator)
    }

    /// The store under a home.
    public convenience init(home: CustosHome) throws {
        try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        try self.init(path: home.root.appendingPathComponent("gateway.sqlite").path)
    }

    /// Makes a key; returns the secret (shown once) and the stored record. A name in use is an error.
    public func create(name: String, role: KeyRole, ratePerSecond: Double? = nil, burst: Double? = nil, policy: String? = nil)
        throws -> (secret: String, key: APIKey)
    {
        guard !name.isEmpty, name.count <= 128, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            throw CustosError(.usage, "key name '\(name)' must be 1–128 letters, digits or - _ . @")
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let secret = "ck_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let key = APIKey(name: name, role: role, hash: Self.hash(secret), prefix: String(secret.prefix(10)),
                         ratePerSecond: ratePerSecond, burst: burst, policy: policy, created: Date(), revoked: false)
        try SQLiteDatabase.run("the gateway key store", path: path) {
            try queue.write { db in
                if try Row.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE name = ?", arguments: [name]) != nil {
                    throw CustosError(.usage, "a key named '\(name)' already exists; revoke it or pick another name")
                }
                try db.execute(
                    sql: """
                        INSERT INTO api_key (name, role, hash, prefix, rate_per_second, burst, policy, created, revoked)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                        """,
                    arguments: [name, role.rawValue, key.hash, key.prefix, ratePerSecond, burst, policy,
                                key.created.timeIntervalSince1970])
            }
        }
        return (secret, key)
    }

    /// Revokes a key by name; an unknown name is an error.
    public func revoke(name: String) throws {
        try SQLiteDatabase.run("the gateway key store", path: path) {
            try queue.write { db in
                try db.execute(sql: "UPDATE api_key SET revoked = 1 WHERE name = ?", arguments: [name])
                if db.changesCount == 0 { throw CustosError(.usage, "no key named '\(name)'") }
            }
        }
    }

    /// Every key, revoked ones included.
    public func all() throws -> [APIKey] {
        try SQLiteDatabase.run("the gateway key store", path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM api_key ORDER BY name").map { row in
                    APIKey(name: row["name"], role: KeyRole(rawValue: row["role"]) ?? .client, hash: row["hash"],
                           prefix: row["prefix"], ratePerSecond: row["rate_per_second"], burst: row["burst"],
                           policy: row["policy"], created: Date(timeIntervalSince1970: row["created"]),
                           revoked: row["revoked"])
                }
            }
        }
    }

    /// Hex SHA-256 of a presented key.
    public static func hash(_ secret: String) -> String {
        Array(SHA256.hash(data: Array(secret.utf8))).hexString
    }
}
