import CustosCore
import Foundation

/// Where a PostgreSQL audit store lives, parsed from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=disable` (`postgresql://` is accepted too).
///
/// User and password may be percent-encoded. `sslmode` follows libpq: `disable`, `allow`/`prefer`
/// (the default: TLS when the server offers it, certificate not checked), `require` (TLS, certificate
/// not checked), `verify-ca` (chain checked) and `verify-full` (chain and host name checked).
public struct PostgresEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted (libpq's `sslmode`).
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, else plain TCP (libpq treats `allow` the same here).
        case prefer
        /// TLS required; the certificate is not checked.
        case require
        /// TLS required; the certificate chain is checked against the system roots.
        case verifyCA = "verify-ca"
        /// TLS required; the chain and the host name are checked.
        case verifyFull = "verify-full"
    }

    /// PostgreSQL's default port.
    public static let defaultPort = 5432

    /// Server host name or address.
    public var host: String
    /// Server TCP port.
    public var port: Int
    /// Login role.
    public var username: String
    /// Password, when the URL has one.
    public var password: String?
    /// Database name (default: the user name, as libpq does).
    public var database: String
    /// Encryption.
    public var tls: TLSMode

    /// Parses a `postgres://` or `postgresql://` URL; a malformed one is a usage error that says what is wrong.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw CustosError(.usage, "not a PostgreSQL URL: '\(Self.redacting(text))'; expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw CustosError(.usage, "the PostgreSQL URL '\(Self.redacting(text))' names no host; expected postgres://user:password@host:port/database")
        }
        guard let user = components.user, !user.isEmpty else {
            throw CustosError(.usage, "the PostgreSQL URL '\(Self.redacting(text))' names no user; expected postgres://user:password@host:port/database")
        }
        // URLComponents rejects a non-numeric port by failing to parse; a port out of range parses.
        let port = components.port ?? Self.defaultPort
        guard (1...65_535).contains(port) else {
            throw CustosError(.usage, "the PostgreSQL URL '\(Self.redacting(text))' has port \(port), outside 1...65535")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                let value = item.value ?? ""
                if value == "allow" {
                    tls = .prefer
                } else if let mode = TLSMode(rawValue: value) {
                    tls = mode
                } else {
                    throw CustosError(.usage, "unknown sslmode '\(value)' in the PostgreSQL URL; use disable, prefer, require, verify-ca or verify-full")
                }
            case "application_name", "connect_timeout":
                continue
            default:
                throw CustosError(.usage, "unsupported parameter '\(item.name)' in the PostgreSQL URL; only sslmode is understood")
            }
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding ?? path
        self.host = host
        self.port = port
        username = components.user?.removingPercentEncoding ?? user
        password = components.password?.removingPercentEncoding ?? components.password
        self.database = database.isEmpty ? (components.user?.removingPercentEncoding ?? user) : database
        self.tls = tls
    }

    /// The endpoint for messages and logs: `postgres://user@host:port/database`, never the password.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// `host:port`, as error messages name the server.
    var server: String { "\(host):\(port)" }

    /// The same endpoint with another database (tests create one per case).
    public func with(database: String) -> PostgresEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL text with any password replaced by `***`, for error messages.
    static func redacting(_ text: String) -> String {
        // Textual, so it also works on URLs that do not parse: the user-info is what precedes the last '@'
        // of the authority.
        guard let schemeEnd = text.range(of: "://") else { return text }
        let authorityEnd = text[schemeEnd.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? text.endIndex
        guard let at = text[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@"),
              let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
