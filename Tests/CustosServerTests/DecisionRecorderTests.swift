import CustosAudit
import CustosCore
import CustosServer
import Foundation
import Logging
import Testing

@Suite("The gateway's decision recorder: group commit, request index, periodic checkpoints")
struct DecisionRecorderTests {
    /// A recorder over a fresh SQLite log with a signing key, checkpointing every `every` records.
    func recorder(every: Int) throws -> (DecisionRecorder, AuditLog, RequestIndex, AuditKeys, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-recorder-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keys = try AuditKeys.create(in: directory, origin: "custos.test/recorder")
        let log = AuditLog(store: try SQLiteAuditStore(path: directory.appendingPathComponent("audit.sqlite").path))
        let index = try RequestIndex(path: directory.appendingPathComponent("gateway.sqlite").path)
        let recorder = DecisionRecorder(log: log, signer: keys.signer, checkpointEvery: every, index: index,
                                        logger: Logger(label: "test"))
        return (recorder, log, index, keys, directory)
    }

    /// Waits until no append or checkpoint is in flight.
    func settle(_ recorder: DecisionRecorder) async throws {
        while await recorder.busy { try await Task.sleep(for: .milliseconds(2)) }
    }

    @Test("concurrent records each get their own index, are indexed by request id, and checkpoints keep up")
    func concurrentRecords() async throws {
        let (recorder, log, index, keys, directory) = try recorder(every: 10)
        defer { try? FileManager.default.removeItem(at: directory) }
        let count = 203
        let indices = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for k in 0..<count {
                group.addTask {
                    let at = try await recorder.record(.object(["request_id": .string("req_\(k)"), "caller": .string("app"),
                                                                "action": .string("allow")]))
                    return (k, at)
                }
            }
            var all: [(Int, Int)] = []
            for try await pair in group { all.append(pair) }
            return all
        }
        #expect(Set(indices.map(\.1)) == Set(0..<count), "every record has its own index and none is missing")
        #expect(try await log.size() == count)
        #expect(await recorder.appended == count)
        for (k, at) in indices where k % 50 == 0 {
            let entries = try index.entries(requestID: "req_\(k)")
            #expect(entries.map(\.auditIndex) == [at])
            let (_, record) = try await log.readableRecord(at: at)
            #expect(record["request_id"]?.stringValue == "req_\(k)")
        }
        try await settle(recorder)
        // A checkpoint is signed once ten records have been appended since the last one, so after the last commit
        // fewer than ten remain uncovered (the records share a few group commits, so there may be one checkpoint);
        // every stored note verifies with the public key.
        let latest = try await log.latestCheckpointSize()
        #expect(latest > count - 10 && latest <= count, "latest checkpoint covers \(latest) of \(count)")
        let verifier = keys.verifier
        let stored = try await log.store.checkpoints()
        #expect(!stored.isEmpty)
        for checkpoint in stored {
            #expect(try verifier.verify(checkpoint.note, origin: "custos.test/recorder").size == checkpoint.size)
        }
    }

    @Test("the request index: queued entries are seen by the next lookup, and a flush writes them for other readers")
    func requestIndexQueue() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-index-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gateway.sqlite").path
        let index = try RequestIndex(path: path)
        let entries = (0..<6).map { RequestIndex.Entry(requestID: "req_\($0)", auditIndex: $0, caller: "app", action: "allow", time: 1) }
        index.enqueue(Array(entries[0..<2]), logger: Logger(label: "test"))
        index.enqueue(Array(entries[2..<5]), logger: Logger(label: "test"))
        #expect(try index.latest(limit: 10) == entries[0..<5].reversed())
        #expect(try index.entries(requestID: "req_3") == [entries[3]])
        index.enqueue([entries[5]], logger: Logger(label: "test"))
        try index.flush()
        #expect(try RequestIndex(path: path).entries(requestID: "req_5") == [entries[5]])
    }

    @Test("records one after another: each commits on its own, the checkpoints come every `every` records")
    func sequentialRecords() async throws {
        let (recorder, log, _, _, directory) = try recorder(every: 4)
        defer { try? FileManager.default.removeItem(at: directory) }
        for k in 0..<11 {
            #expect(try await recorder.record(.object(["request_id": .string("req_\(k)")])) == k)
            try await settle(recorder)
            let latest = try await log.latestCheckpointSize()
            #expect(latest == (k + 1) / 4 * 4, "after \(k + 1) records the latest checkpoint covers \(latest)")
        }
    }
}
