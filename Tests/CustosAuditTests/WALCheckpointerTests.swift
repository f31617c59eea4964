import CustosAudit
import CustosCore
import CustosSQLite
import Foundation
import Testing

@Suite("WAL checkpoints off the write path")
struct WALCheckpointerTests {
    @Test("a background connection checkpoints every committed frame while the store stays open, and the log still verifies")
    func checkpointsWhileOpen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.sqlite").path
        let log = AuditLog(store: try SQLiteAuditStore(path: path))
        for k in 0..<20 {
            _ = try await log.append([.object(["n": .number(Double(k)), "text": .string(String(repeating: "x", count: 2000))])])
        }
        // The store's own checkpointer runs every 0.5 s; this one runs now, on a third connection.
        let checkpointer = try WALCheckpointer(path: path, what: "test store", interval: 3600)
        // The store's own checkpointer may hold the checkpoint lock at this moment (-1 frames): try again.
        var progress = try checkpointer.checkpoint()
        for _ in 0..<50 where progress.walFrames < 0 {
            try await Task.sleep(for: .milliseconds(20))
            progress = try checkpointer.checkpoint()
        }
        #expect(progress.walFrames > 0)
        #expect(progress.checkpointedFrames == progress.walFrames)
        // Appends after a checkpoint go on, and the file holds one consistent log.
        _ = try await log.append([.object(["n": .number(20)])])
        #expect(try await log.size() == 21)
        let reopened = AuditLog(store: try SQLiteAuditStore(path: path))
        #expect(try await reopened.tree().root() == (try await log.store.frontier().root()))
    }

    @Test("a checkpointer on a file that is not a database fails with the store's name and path")
    func badFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("custos-wal-\(UUID().uuidString).sqlite").path
        try Data("not a database, just text that is long enough to have a header".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try WALCheckpointer(path: path, what: "test store", interval: 3600)
        } throws: { error in
            let text = "\(error)"
            return text.contains("test store") && text.contains(path)
        }
    }
}
