import CustosCore
import Foundation
import PostgresNIO

/// Turns postgres-nio and NIO errors into `CustosError`s that name the server and say what to fix.
/// (postgres-nio's own descriptions hide server details on purpose, so messages are built here.)
enum PostgresErrors {
    static func describe(_ error: any Error, endpoint: PostgresEndpoint) -> CustosError {
        switch error {
        case let error as CustosError:
            return error
        case let error as PostgresTransactionError:
            let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            guard let cause else { return CustosError(.upstream, "a transaction on PostgreSQL at \(endpoint.server) failed") }
            return describe(cause, endpoint: endpoint)
        case let error as PSQLError:
            return describe(error, endpoint: endpoint)
        default:
            if let reason = connectionFailure(error) {
                return CustosError(.upstream, "cannot connect to PostgreSQL at \(endpoint.server): \(reason)")
            }
            return CustosError(.upstream, "PostgreSQL at \(endpoint.server): \(error)")
        }
    }

    private static func describe(_ error: PSQLError, endpoint: PostgresEndpoint) -> CustosError {
        let server = endpoint.server
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            let message = error.serverInfo?[.message] ?? "no message"
            switch state {
            case "28P01", "28000":
                return CustosError(.usage, "PostgreSQL at \(server) refused user '\(endpoint.username)': \(message); check the user and password in the URL")
            case "3D000":
                return CustosError(.usage, "database '\(endpoint.database)' does not exist on PostgreSQL at \(server); create it (createdb \(endpoint.database)) or name another in the URL")
            case "42501":
                return CustosError(.usage, "PostgreSQL at \(server): user '\(endpoint.username)' lacks a privilege the audit store needs: \(message)")
            case "53300":
                return CustosError(.upstream, "PostgreSQL at \(server) has no free connection slots: \(message)")
            case "57P01", "57P02", "57P03":
                return CustosError(.upstream, "PostgreSQL at \(server) is shutting down or starting up: \(message)")
            default:
                return CustosError(.upstream, "PostgreSQL at \(server) failed (SQLSTATE \(state)): \(message)")
            }
        case .connectionError:
            let reason = error.underlying.flatMap(connectionFailure) ?? error.underlying.map { "\($0)" } ?? "unknown reason"
            return CustosError(.upstream, "cannot connect to PostgreSQL at \(server): \(reason)")
        case .authMechanismRequiresPassword:
            return CustosError(.usage, "PostgreSQL at \(server) wants a password for user '\(endpoint.username)'; put it in the URL (postgres://user:password@host/db)")
        case .unsupportedAuthMechanism, .saslError:
            return CustosError(.usage, "PostgreSQL at \(server): the login of user '\(endpoint.username)' failed (\(error.code)); check the password")
        case .sslUnsupported:
            return CustosError(.usage, "PostgreSQL at \(server) does not offer TLS but the URL requires it; use ?sslmode=disable or enable TLS on the server")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return CustosError(.upstream, "TLS with PostgreSQL at \(server) failed (\(error.code))")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return CustosError(.upstream, "the connection to PostgreSQL at \(server) closed unexpectedly (\(error.code))")
        case .poolClosed:
            return CustosError(.usage, "the PostgreSQL audit store for \(endpoint) was already closed")
        default:
            return CustosError(.upstream, "PostgreSQL at \(server): \(error.code)")
        }
    }

    /// Why a TCP connection failed, in words, when `error` is one of NIO's connection errors.
    private static func connectionFailure(_ error: any Error) -> String? {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return connectionFailure(first.error) ?? "\(first.error)" }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve host name '\(error.host)'" }
            return "no address to connect to"
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused (is the server running and listening on that address and port?)"
            case ETIMEDOUT: return "timed out"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
            default: return "\(error)"
            }
        case let error as ChannelError:
            if case .connectTimeout = error {
                return "no answer within \(PostgresAuditStore.connectTimeoutSeconds) s"
            }
            return nil
        default:
            return nil
        }
    }
}
