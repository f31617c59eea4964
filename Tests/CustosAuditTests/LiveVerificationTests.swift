import CustosAudit
import CustosCore
import Foundation
import GRDB
import Testing

@Suite("verify on a live log")
struct LiveVerificationTests {
    @Test("verify while another task appends never reports tampering; rows past the tree state are caught")
    func verifyDuringAppends() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-live-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try AuditKeys.create(in: dir.appendingPathComponent("keys"), origin: "custos.test/live")
        let path = dir.appendingPathComponent("audit.sqlite").path
        let log = AuditLog(store: try SQLiteAuditStore(path: path))
        let writer = Task {
            for k in 0..<300 {
                try await log.append([.object(["n": .number(Double(k))]), .object(["m": .number(Double(k))])])
                if k % 50 == 0 { _ = try await log.checkpoint(signer: keys.signer) }
            }
        }
        var reports: [VerificationReport] = []
        while !writer.isCancelled, reports.count < 40 {
            reports.append(try await log.verify(with: keys.verifier, pageSize: 64))
            if reports.last?.size == 600 { break }
        }
        try await writer.value
        let failed = reports.filter { !$0.ok }
        #expect(failed.isEmpty, "\(failed)")
        #expect(!reports.isEmpty)
        let final = try await log.verify(with: keys.verifier)
        #expect(final.ok && final.size == 600)

        // A row slipped in after the last entry, without going through the log, is reported.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO entry (idx, leaf, leaf_hash) SELECT 600, leaf, leaf_hash FROM entry WHERE idx = 599")
        }
        let tampered = try await AuditLog(store: try SQLiteAuditStore(path: path)).verify(with: keys.verifier)
        #expect(!tampered.ok)
        #expect(tampered.firstBadIndex == 600)
    }
}
