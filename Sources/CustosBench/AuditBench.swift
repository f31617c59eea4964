import ArgumentParser
import CustosAudit
import CustosCore
import Foundation
import GRDB

/// `custos-bench audit`: durable appends per second with the Merkle tree and tree heads maintained,
/// against plain SQLite inserts of the same canonical JSON rows (same pragmas, same batch
/// transactions) in one run; and the time of a full `verify`.
struct AuditBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit")

    @Option(help: "Records to append.")
    var records = 100_000

    @Option(help: "Records per transaction (group commit).")
    var batch = 1_000

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-bench-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows: [JSONValue] = (0..<records).map(Self.record)
        // Where Custos' time goes, measured apart: RFC 8785 encoding, and leaf + tree hashing.
        let encodeStart = DispatchTime.now()
        let leaves = try rows.map(CanonicalJSON.encode)
        let encodeSeconds = Self.seconds(since: encodeStart)
        let hashStart = DispatchTime.now()
        let hashed = AppendBatch(extending: MerkleFrontier(), with: leaves)
        let hashSeconds = Self.seconds(since: hashStart)
        guard hashed.head.size == records else { throw CustosError(.internal, "hashing lost records") }
        let plainSeconds = try Self.plainInserts(leaves, path: dir.appendingPathComponent("plain.sqlite").path, batch: batch)

        let keys = try AuditKeys.create(in: dir.appendingPathComponent("keys"), origin: "bench/audit")
        let log = AuditLog(store: try SQLiteAuditStore(path: dir.appendingPathComponent("audit.sqlite").path))
        let start = DispatchTime.now()
        var next = 0
        while next < rows.count {
            let end = min(next + batch, rows.count)
            try await log.append(Array(rows[next..<end]))
            next = end
        }
        try await log.checkpoint(signer: keys.signer)
        let custosSeconds = Self.seconds(since: start)
        let verifyStart = DispatchTime.now()
        let report = try await log.verify(with: keys.verifier)
        let verifySeconds = Self.seconds(since: verifyStart)
        guard report.ok else { throw CustosError(.internal, "benchmark log failed to verify: \(report.problem ?? "")") }
        let line: [String: Any] = [
            "bench": "audit-append", "custos_s": custosSeconds, "peer": "plain SQLite inserts (GRDB, same rows and pragmas)",
            "peer_s": plainSeconds, "ratio": plainSeconds / custosSeconds, "records": records, "batch": batch,
            "custos_appends_per_s": Double(records) / custosSeconds, "peer_inserts_per_s": Double(records) / plainSeconds,
            "verify_s": verifySeconds, "encode_s": encodeSeconds, "hash_s": hashSeconds,
            "note": "ratio = peer_s / custos_s (target ≥ 0.5: at least half the plain insert rate); Custos time includes canonical JSON encoding, hashing and the signed checkpoint; the plain side inserts pre-encoded bytes",
        ]
        try printJSONObjectLine(line)
    }

    /// Plain SQLite: the same bytes, same pragmas, same transactions, no hashing; returns seconds.
    static func plainInserts(_ leaves: [[UInt8]], path: String, batch: Int) throws -> Double {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let plain = try DatabaseQueue(path: path, configuration: configuration)
        try plain.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE entry (idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL)")
        }
        let start = DispatchTime.now()
        var next = 0
        while next < leaves.count {
            let end = min(next + batch, leaves.count)
            try plain.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO entry (idx, leaf) VALUES (?, ?)")
                for k in next..<end { try statement.execute(arguments: [k, Data(leaves[k])]) }
            }
            next = end
        }
        return seconds(since: start)
    }

    /// A decision-like record.
    static func record(_ i: Int) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        fields["request_id"] = .string("req-\(i)")
        fields["caller"] = .string("app-\(i % 17)")
        fields["model"] = .string("gpt-x")
        fields["decision"] = .string(i % 5 == 0 ? "block" : "allow")
        fields["score"] = .number(Double(i % 1000) / 1000)
        fields["policy"] = .string("3f1c9a")
        fields["time"] = .number(1_764_000_000 + Double(i))
        return .object(fields)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
