import CustosAudit
import CustosCore
import Foundation

/// Opens the gateway's audit store: the SQLite file `audit.sqlite` in the home by default.
enum AuditStoreOpener {
    static func open(_ location: String?, home: CustosHome) async throws -> any AuditStore {
        guard let location else {
            return try SQLiteAuditStore(path: home.root.appendingPathComponent("audit.sqlite").path)
        }
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            throw CustosError(.usage, "a PostgreSQL audit store is not available in this build")
        }
        return try SQLiteAuditStore(path: location)
    }
}
