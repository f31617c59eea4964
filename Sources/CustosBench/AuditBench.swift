import ArgumentParser
import CustosAudit
import CustosCore
import Foundation
import GRDB

/// `custos-bench audit`: durable appends per second with the Merkle tree and tree heads maintained,
/// against plain SQLite inserts of the same canonical JSON rows (same pragmas, same batch
/// transactions) in one run; the time of a full `verify` of a large log; and, with `--store`, the append
/// rate of a PostgreSQL store.
struct AuditBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit")

    @Option(help: "Records to append.")
    var records = 100_000

    @Option(help: "Records per transaction (group commit).")
    var batch = 1_000

    @Option(help: "Timed runs of each side, alternating, each into a fresh database; the ratio is the median of the runs' paired ratios (a guard against a busy machine and fsync outliers).")
    var runs = 7

    @Option(help: "Size of the log whose full `verify` is timed (built first, in batches of 10,000; 0 skips it).")
    var verifyRecords = 1_000_000

    @Option(help: "Also time appends to this PostgreSQL store (postgres://…; must hold no log yet: use a scratch database).")
    var store: String?

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
        let keys = try AuditKeys.create(in: dir.appendingPathComponent("keys"), origin: "bench/audit")
        var plainRuns: [Double] = []
        var custosRuns: [Double] = []
        var log: AuditLog?
        for run in 0..<max(runs, 1) {
            plainRuns.append(try Self.plainInserts(leaves, path: dir.appendingPathComponent("plain-\(run).sqlite").path, batch: batch))
            let runLog = AuditLog(store: try SQLiteAuditStore(path: dir.appendingPathComponent("audit-\(run).sqlite").path))
            let start = DispatchTime.now()
            var next = 0
            while next < rows.count {
                let end = min(next + batch, rows.count)
                try await runLog.append(Array(rows[next..<end]))
                next = end
            }
            try await runLog.checkpoint(signer: keys.signer)
            custosRuns.append(Self.seconds(since: start))
            log = runLog
        }
        // The store's share: the same leaves, encoded and hashed beforehand, through SQLiteAuditStore alone.
        let prepared = stride(from: 0, to: leaves.count, by: batch).map { HashedLeaves(Array(leaves[$0..<min($0 + batch, leaves.count)])) }
        let storeOnly = try SQLiteAuditStore(path: dir.appendingPathComponent("store-only.sqlite").path)
        let storeStart = DispatchTime.now()
        for part in prepared { _ = try await storeOnly.append(part) }
        let storeSeconds = Self.seconds(since: storeStart)
        guard let log, let plainSeconds = plainRuns.min(), let custosSeconds = custosRuns.min() else {
            throw CustosError(.internal, "no benchmark run")
        }
        let verifyStart = DispatchTime.now()
        let report = try await log.verify(with: keys.verifier)
        let verifySeconds = Self.seconds(since: verifyStart)
        guard report.ok else { throw CustosError(.internal, "benchmark log failed to verify: \(report.problem ?? "")") }
        let line: [String: Any] = [
            "bench": "audit-append", "custos_s": custosSeconds, "peer": "plain SQLite inserts (GRDB, same rows and pragmas)",
            "peer_s": plainSeconds, "ratio": Self.median(zip(plainRuns, custosRuns).map { $0 / $1 }), "ratio_fastest": plainSeconds / custosSeconds, "records": records, "batch": batch,
            "custos_appends_per_s": Double(records) / custosSeconds, "peer_inserts_per_s": Double(records) / plainSeconds,
            "verify_s": verifySeconds, "encode_s": encodeSeconds, "hash_s": hashSeconds, "store_s": storeSeconds, "runs": max(runs, 1),
            "custos_runs_s": custosRuns, "peer_runs_s": plainRuns,
            "note": "ratio = the median over `runs` alternating pairs of (plain seconds / custos seconds), target ≥ 0.5: at least half the plain insert rate; custos_s and peer_s are the fastest run of each side and ratio_fastest their ratio, which a single fast fsync run of either side moves a lot on a shared disk. Custos time includes canonical JSON encoding and leaf hashing (split over the cores for batches of 512 or more), the tree and the signed checkpoint; the plain side inserts pre-encoded bytes; encode_s and hash_s: encoding and hashing every record on one thread; store_s: the store alone (SQLiteAuditStore.append of leaves hashed beforehand, one run)",
        ]
        try printJSONObjectLine(line)
        try await groupCommitBench(dir: dir)
        if verifyRecords > 0 {
            try await verifyBench(path: dir.appendingPathComponent("verify.sqlite").path, keys: keys)
        }
        if let store {
            try await postgresBench(url: store, keys: keys)
        }
    }

    /// Single-record appends, as a gateway makes them (one per request): one after another (a commit each),
    /// then from `concurrentAppenders` tasks at once through one store (group commit shares the commits).
    func groupCommitBench(dir: URL) async throws {
        let count = 1_000
        let concurrentAppenders = 32
        let sequential = AuditLog(store: try SQLiteAuditStore(path: dir.appendingPathComponent("single.sqlite").path))
        let sequentialStart = DispatchTime.now()
        for i in 0..<count { try await sequential.append([Self.record(i)]) }
        let sequentialSeconds = Self.seconds(since: sequentialStart)
        let grouped = AuditLog(store: try SQLiteAuditStore(path: dir.appendingPathComponent("grouped.sqlite").path))
        let groupedStart = DispatchTime.now()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for appender in 0..<concurrentAppenders {
                tasks.addTask {
                    for i in stride(from: appender, to: count, by: concurrentAppenders) { try await grouped.append([Self.record(i)]) }
                }
            }
            try await tasks.waitForAll()
        }
        let groupedSeconds = Self.seconds(since: groupedStart)
        guard try await grouped.size() == count, try await grouped.store.heads().count == count else {
            throw CustosError(.internal, "group commit lost appends")
        }
        try printJSONObjectLine([
            "bench": "audit-append-single-records", "custos_s": groupedSeconds,
            "peer": "the same store, one append (one commit) after another", "peer_s": sequentialSeconds,
            "ratio": sequentialSeconds / groupedSeconds, "records": count, "concurrent_appenders": concurrentAppenders,
            "custos_appends_per_s": Double(count) / groupedSeconds, "peer_appends_per_s": Double(count) / sequentialSeconds,
            "note": "durable single-record appends; custos side: \(concurrentAppenders) concurrent tasks through one SQLiteAuditStore, group-committed (each append keeps its own tree head)",
        ])
    }

    /// Builds a log of `verifyRecords` entries (records made per batch, so memory stays flat) and times `verify`.
    func verifyBench(path: String, keys: AuditKeys) async throws {
        let log = AuditLog(store: try SQLiteAuditStore(path: path))
        let buildBatch = 10_000
        var next = 0
        let buildStart = DispatchTime.now()
        while next < verifyRecords {
            let end = min(next + buildBatch, verifyRecords)
            try await log.append((next..<end).map(Self.record))
            next = end
        }
        try await log.checkpoint(signer: keys.signer)
        let buildSeconds = Self.seconds(since: buildStart)
        let start = DispatchTime.now()
        let report = try await log.verify(with: keys.verifier)
        let verifySeconds = Self.seconds(since: start)
        guard report.ok, report.size == verifyRecords else {
            throw CustosError(.internal, "benchmark log failed to verify: \(report.problem ?? "size \(report.size)")")
        }
        try printJSONObjectLine([
            "bench": "audit-verify", "custos_s": verifySeconds, "peer": "none", "peer_s": NSNull(), "ratio": NSNull(),
            "records": verifyRecords, "records_per_s": Double(verifyRecords) / verifySeconds, "build_s": buildSeconds,
            "max_rss_mb": Self.maxResidentMegabytes(),
            "note": "full verify of a SQLite log: every leaf hash, every tree head (one per append of 10,000), the frontier and the signed checkpoint; read in pages of 50,000",
        ])
    }

    /// Appends the same decision records to a PostgreSQL store in batches of `batch`.
    func postgresBench(url: String, keys: AuditKeys) async throws {
        try await withAuditStore(at: try AuditStoreLocation(parsing: url, home: CustosHome())) { store in
            guard try await store.frontier().size == 0 else {
                throw CustosError(.usage, "the PostgreSQL store for the benchmark already holds a log; use a scratch database")
            }
            let log = AuditLog(store: store)
            let start = DispatchTime.now()
            var next = 0
            while next < records {
                let end = min(next + batch, records)
                try await log.append((next..<end).map(Self.record))
                next = end
            }
            try await log.checkpoint(signer: keys.signer)
            let seconds = Self.seconds(since: start)
            let verifyStart = DispatchTime.now()
            let report = try await log.verify(with: keys.verifier)
            let verifySeconds = Self.seconds(since: verifyStart)
            guard report.ok else { throw CustosError(.internal, "PostgreSQL benchmark log failed to verify: \(report.problem ?? "")") }
            try printJSONObjectLine([
                "bench": "audit-append-postgres", "custos_s": seconds, "peer": "none", "peer_s": NSNull(), "ratio": NSNull(),
                "records": records, "batch": batch, "custos_appends_per_s": Double(records) / seconds, "verify_s": verifySeconds,
                "note": "one client, one transaction per batch (row lock on the tree state, one multi-row INSERT … unnest); the server's default synchronous_commit",
            ])
        }
    }

    /// Peak resident memory of this process in MiB (Linux `VmHWM`), or 0 where unavailable.
    static func maxResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
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

    /// The middle value (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
