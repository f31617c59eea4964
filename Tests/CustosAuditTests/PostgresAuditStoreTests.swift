import CustosAudit
import CustosCore
import Foundation
import Testing

@Suite("PostgreSQL audit store: one linear log under concurrent appenders, precise connection errors")
struct PostgresAuditStoreTests {
    @Test("independent clients appending concurrently to one database produce one log that verifies with every entry")
    func concurrentAppenders() async throws {
        try await TestStore.with(.postgres) { testStore in
            let keyDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-pg-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: keyDirectory) }
            let keys = try AuditKeys.create(in: keyDirectory, origin: "custos.test/pg")
            // Created once, then each appender opens its own store (its own PostgresClient and connections), as
            // separate gateway processes would.
            try await withAuditStore(at: testStore.location) { _ in }
            let appenders = 4
            let appendsEach = 20
            let batchSize = 5
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        try await withAuditStore(at: testStore.location, createIfMissing: false) { store in
                            let log = AuditLog(store: store)
                            for append in 0..<appendsEach {
                                try await log.append((0..<batchSize).map { k in
                                    .object(["appender": .number(Double(appender)), "append": .number(Double(append)), "k": .number(Double(k))])
                                })
                                if append % 7 == 0 { try await log.checkpoint(signer: keys.signer) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = appenders * appendsEach * batchSize
            try await withAuditStore(at: testStore.location, createIfMissing: false) { store in
                let log = AuditLog(store: store)
                let report = try await log.verify(with: keys.verifier)
                #expect(report.ok, "\(report.problem ?? "")")
                #expect(report.size == total)
                // Every append wrote one tree head; each batch's entries are contiguous (one transaction each).
                #expect(try await store.heads().count == appenders * appendsEach)
                for entry in try await store.allEntries() {
                    guard case .object(let fields) = try JSONValue.parse(entry.leaf), case .number(let k) = fields["k"] else {
                        Issue.record("entry \(entry.index) is not a test record")
                        continue
                    }
                    #expect(entry.index % batchSize == Int(k), "entry \(entry.index) is record \(Int(k)) of its batch")
                }
            }
        }
    }

    @Test("opening a database without a log refuses when asked not to create one, naming the database")
    func missingLog() async throws {
        try await TestStore.with(.postgres) { testStore in
            let error = try await #require(throws: CustosError.self) {
                try await openAuditStore(testStore.location, createIfMissing: false)
            }
            #expect(error.message.contains("no audit log in postgres://"))
            #expect(error.message.contains("custos audit init"))
            #expect(!error.message.contains("custos-test"), "the password must not appear in messages")
        }
    }

    @Test("an unreachable server, a wrong password and a missing database are precise errors naming host and port")
    func connectionErrors() async throws {
        let url = try TestPostgres.url()
        let endpoint = try PostgresEndpoint(url: url)
        // A port nothing listens on: the server's port + 1 is free in scripts/test's throwaway setup only by luck, so
        // use port 1 (privileged, never a PostgreSQL server here).
        let refused = try await #require(throws: CustosError.self) {
            try await openAuditStore(.postgres(url: "postgres://custos:x@127.0.0.1:1/custos?sslmode=disable"))
        }
        #expect(refused.message.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(refused.message)")
        #expect(refused.message.contains("refused"), "\(refused.message)")
        #expect(refused.code == .upstream)

        var wrong = URLComponents(string: url)
        wrong?.password = "definitely-wrong"
        let badPassword = try await #require(throws: CustosError.self) {
            try await openAuditStore(.postgres(url: try #require(wrong?.string)))
        }
        #expect(badPassword.message.contains("\(endpoint.host):\(endpoint.port)"), "\(badPassword.message)")
        #expect(badPassword.message.contains("refused user '\(endpoint.username)'"), "\(badPassword.message)")
        #expect(!badPassword.message.contains("definitely-wrong"))

        let noDatabase = try await #require(throws: CustosError.self) {
            try await openAuditStore(.postgres(url: try TestPostgres.url(url, database: "custos_no_such_db")))
        }
        #expect(noDatabase.message.contains("database 'custos_no_such_db' does not exist"), "\(noDatabase.message)")
    }

    @Test("store locations: postgres and postgresql URLs with sslmode, SQLite paths, and precise errors for bad ones")
    func locations() throws {
        let home = CustosHome(path: "/tmp/custos-home")
        #expect(try AuditStoreLocation(parsing: nil, home: home) == .sqlite(path: "/tmp/custos-home/audit.sqlite"))
        #expect(try AuditStoreLocation(parsing: "/var/audit.db", home: home) == .sqlite(path: "/var/audit.db"))
        #expect(try AuditStoreLocation(parsing: "sqlite:/var/a.db", home: home) == .sqlite(path: "/var/a.db"))
        let url = "postgresql://app:s%40cret@db.internal:6543/audit?sslmode=disable"
        let location = try AuditStoreLocation(parsing: url, home: home)
        #expect(location == .postgres(url: url))
        #expect(location.description == "postgres://app@db.internal:6543/audit")
        let endpoint = try PostgresEndpoint(url: url)
        #expect(endpoint.password == "s@cret" && endpoint.port == 6543 && endpoint.tls == .disable && endpoint.database == "audit")
        #expect(try PostgresEndpoint(url: "postgres://app@db").port == 5432)
        #expect(try PostgresEndpoint(url: "postgres://app@db").database == "app")
        #expect(try PostgresEndpoint(url: "postgres://app@db/x?sslmode=verify-full").tls == .verifyFull)
        for bad in ["postgres://db.internal/audit", "postgres://app:pw@/audit", "postgres://app@db/x?sslmode=sometimes",
                    "postgres://app@db:99999/x", "mysql://app@db/x", "postgres:/db/x", "postgres://app@db/x?search_path=y"] {
            let error = try #require(throws: CustosError.self) { try AuditStoreLocation(parsing: bad, home: home) }
            #expect(error.code == .usage, "\(bad)")
        }
        let secret = try #require(throws: CustosError.self) {
            try AuditStoreLocation(parsing: "postgres://app:hunter2@db/x?sslmode=nope", home: home)
        }
        #expect(!secret.message.contains("hunter2"))
    }
}
