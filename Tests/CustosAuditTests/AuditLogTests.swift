import Crypto
import CustosAudit
import CustosCore
import Foundation
import GRDB
import Testing

@Suite("Audit log detects tampering in the store")
struct AuditLogTests {
    struct Fixture {
        let path: String
        let keys: AuditKeys
        var log: AuditLog

        init() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-audit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            path = dir.appendingPathComponent("audit.sqlite").path
            keys = try AuditKeys.create(in: dir.appendingPathComponent("keys"), origin: "custos.test/audit")
            log = try AuditLog(store: SQLiteAuditStore(path: path))
            let records = (0..<8).map { i in
                JSONValue.object(["caller": .string("app-\(i % 3)"), "decision": .string(i % 2 == 0 ? "allow" : "block"), "score": .number(Double(i) / 8)])
            }
            _ = try log.append(Array(records[0..<5]))
            _ = try log.checkpoint(signer: keys.signer)
            _ = try log.append(Array(records[5...]))
            _ = try log.checkpoint(signer: keys.signer)
        }

        /// Edits the database behind the log's back, then reopens and verifies.
        func tamper(_ sql: String, _ arguments: StatementArguments = []) throws -> VerificationReport {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
            return try AuditLog(store: SQLiteAuditStore(path: path)).verify(with: keys.verifier)
        }
    }

    @Test("an untouched log verifies, and reopening rebuilds the same tree")
    func intact() throws {
        let f = try Fixture()
        let report = try f.log.verify(with: f.keys.verifier)
        #expect(report.ok && report.size == 8 && report.checkpoints == 2)
        #expect(try AuditLog(store: SQLiteAuditStore(path: f.path)).tree == f.log.tree)
    }

    @Test("a flipped byte in a record is named by index")
    func flippedRecordByte() throws {
        let report = try Fixture().tamper("UPDATE entry SET leaf = CAST(REPLACE(CAST(leaf AS TEXT), 'allow', 'alloW') AS BLOB) WHERE idx = 4")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 4)
    }

    @Test("a flipped byte in a stored hash is named by index")
    func flippedHash() throws {
        let f = try Fixture()
        var hash = try f.log.store.entry(at: 6).leafHash
        hash[0] ^= 0x80
        let report = try f.tamper("UPDATE entry SET leaf_hash = ? WHERE idx = 6", [Data(hash)])
        #expect(report.firstBadIndex == 6)
    }

    @Test("a deleted row is named by index")
    func deletedRow() throws {
        let report = try Fixture().tamper("DELETE FROM entry WHERE idx = 3")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 3)
    }

    @Test("reordered rows are named by the first moved index")
    func reordered() throws {
        let report = try Fixture().tamper("""
            UPDATE entry SET idx = -1 WHERE idx = 2; UPDATE entry SET idx = 2 WHERE idx = 3; UPDATE entry SET idx = 3 WHERE idx = -1;
            """)
        #expect(!report.ok)
        #expect(report.firstBadIndex == 2)
    }

    @Test("a truncated table is detected against the last checkpoint")
    func truncated() throws {
        let report = try Fixture().tamper("DELETE FROM entry WHERE idx >= 6")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 6)
        #expect(report.problem?.contains("truncated") == true)
    }

    @Test("a history rewritten with recomputed hashes is caught by the signed checkpoint")
    func consistentRewrite() throws {
        let f = try Fixture()
        // The attacker rewrites entry 1 and recomputes every stored hash and tree head.
        var entries = try f.log.store.entries()
        entries[1].leaf = Array(#"{"caller":"app-1","decision":"allow","score":0.125}"#.utf8)
        var tree = MerkleTree()
        let queue = try DatabaseQueue(path: f.path)
        try queue.write { db in
            for entry in entries {
                let hash = MerkleHash.leaf(entry.leaf)
                tree.append(leafHash: hash)
                try db.execute(sql: "UPDATE entry SET leaf = ?, leaf_hash = ?, root = ? WHERE idx = ?",
                               arguments: [Data(entry.leaf), Data(hash), Data(try tree.root()), entry.index])
            }
        }
        let report = try AuditLog(store: SQLiteAuditStore(path: f.path)).verify(with: f.keys.verifier)
        #expect(!report.ok)
        #expect(report.firstBadIndex == 0)
        #expect(report.problem?.contains("0..<5") == true)
    }

    @Test("a checkpoint replaced by one signed with another key is refused")
    func replacedCheckpoint() throws {
        let f = try Fixture()
        let forger = try NoteSigner(name: "custos.test/audit", privateKey: Curve25519.Signing.PrivateKey())
        let forged = try forger.sign(Checkpoint(origin: "custos.test/audit", size: 8, rootHash: try f.log.tree.root()))
        let report = try f.tamper("UPDATE checkpoint SET note = ? WHERE size = 8", [forged])
        #expect(!report.ok)
        #expect(report.problem?.contains("checkpoint at size 8") == true)
    }

    @Test("a corrupt key file and a second init are precise errors")
    func keys() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-keys-\(UUID().uuidString)")
        _ = try AuditKeys.create(in: dir, origin: "log")
        #expect(throws: CustosError.self) { try AuditKeys.create(in: dir, origin: "log") }
        try "log\nnot-base64\n".write(to: dir.appendingPathComponent(AuditKeys.signingKeyFile), atomically: true, encoding: .utf8)
        let error = try #require(throws: CustosError.self) { try AuditKeys.load(from: dir) }
        #expect(error.message.contains("corrupt"))
    }
}
