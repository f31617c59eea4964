import CustosAudit
import CustosCore
import Foundation

/// Opens the gateway's audit store: `audit.sqlite` in the home by default, another SQLite file, or a PostgreSQL
/// database shared by several gateways (`postgres://user:password@host:port/db`).
enum AuditStoreOpener {
    static func open(_ location: String?, home: CustosHome) async throws -> any AuditStore {
        try await openAuditStore(try AuditStoreLocation(parsing: location, home: home), createIfMissing: true)
    }
}
