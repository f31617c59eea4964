import Crypto
import CustosAudit
import CustosCore
import Foundation
import GRDB
import Testing

/// Writes to the SQLite file directly, as an attacker with file access would.
func rawWrite(_ path: String, _ body: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try body(db) }
}

@Suite("Audit log detects tampering in the store")
struct AuditLogTests {
    struct Fixture {
        let path: String
        let keys: AuditKeys
        let log: AuditLog

        /// Eight records appended in two batches (5 + 3), each followed by a signed checkpoint.
        static func make() async throws -> Fixture {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-audit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("audit.sqlite").path
            let keys = try AuditKeys.create(in: dir.appendingPathComponent("keys"), origin: "custos.test/audit")
            let log = AuditLog(store: try SQLiteAuditStore(path: path))
            let records = (0..<8).map { i in
                JSONValue.object(["caller": .string("app-\(i % 3)"), "decision": .string(i % 2 == 0 ? "allow" : "block"), "score": .number(Double(i) / 8)])
            }
            try await log.append(Array(records[0..<5]))
            try await log.checkpoint(signer: keys.signer)
            try await log.append(Array(records[5...]))
            try await log.checkpoint(signer: keys.signer)
            return Fixture(path: path, keys: keys, log: log)
        }

        /// Edits the database behind the log's back, then reopens and verifies.
        func tamper(_ sql: String, _ arguments: StatementArguments = []) async throws -> VerificationReport {
            try rawWrite(path) { db in try db.execute(sql: sql, arguments: arguments) }
            return try await AuditLog(store: SQLiteAuditStore(path: path)).verify(with: keys.verifier)
        }
    }

    @Test("an untouched log verifies, and the stored frontier equals the tree rebuilt from the leaves")
    func intact() async throws {
        let f = try await Fixture.make()
        let report = try await f.log.verify(with: f.keys.verifier)
        #expect(report.ok && report.size == 8 && report.checkpoints == 2)
        let tree = try await f.log.tree()
        #expect(try await f.log.store.frontier().root() == (try tree.root()))
    }

    @Test("a flipped byte in a record is named by index")
    func flippedRecordByte() async throws {
        let report = try await Fixture.make().tamper("UPDATE entry SET leaf = CAST(REPLACE(CAST(leaf AS TEXT), 'allow', 'alloW') AS BLOB) WHERE idx = 4")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 4)
    }

    @Test("a flipped byte in a stored hash is named by index")
    func flippedHash() async throws {
        let f = try await Fixture.make()
        var hash = try await f.log.store.entry(at: 6).leafHash
        hash[0] ^= 0x80
        let report = try await f.tamper("UPDATE entry SET leaf_hash = ? WHERE idx = 6", [Data(hash)])
        #expect(report.firstBadIndex == 6)
    }

    @Test("a flipped byte in a recorded tree head or in the stored frontier is detected")
    func flippedNode() async throws {
        let head = try await Fixture.make().tamper("UPDATE head SET root = zeroblob(32) WHERE size = 8")
        #expect(!head.ok)
        #expect(head.firstBadIndex == 5)
        let state = try await Fixture.make().tamper("UPDATE tree_state SET frontier = zeroblob(32)")
        #expect(!state.ok)
        #expect(state.problem?.contains("tree state") == true)
    }

    @Test("a deleted row is named by index")
    func deletedRow() async throws {
        let report = try await Fixture.make().tamper("DELETE FROM entry WHERE idx = 3")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 3)
    }

    @Test("reordered rows are named by the first index of the append whose tree head changed")
    func reordered() async throws {
        let report = try await Fixture.make().tamper("""
            UPDATE entry SET idx = -1 WHERE idx = 6; UPDATE entry SET idx = 6 WHERE idx = 7; UPDATE entry SET idx = 7 WHERE idx = -1;
            """)
        #expect(!report.ok)
        #expect(report.firstBadIndex == 5)
        #expect(report.problem?.contains("5..<8") == true)
    }

    @Test("a truncated table is detected against the last checkpoint")
    func truncated() async throws {
        let report = try await Fixture.make().tamper("DELETE FROM entry WHERE idx >= 6")
        #expect(!report.ok)
        #expect(report.firstBadIndex == 6)
        #expect(report.problem?.contains("truncated") == true)
    }

    @Test("a history rewritten with recomputed hashes, heads and state is caught by the signed checkpoint")
    func consistentRewrite() async throws {
        let f = try await Fixture.make()
        // The attacker rewrites entry 1 and recomputes every stored hash, tree head and the frontier.
        var entries = try await f.log.store.allEntries()
        entries[1].leaf = Array(#"{"caller":"app-1","decision":"allow","score":0.125}"#.utf8)
        let rewritten = entries
        try rawWrite(f.path) { db in
            var frontier = MerkleFrontier()
            for entry in rewritten {
                let hash = MerkleHash.leaf(entry.leaf)
                frontier.append(leafHash: hash)
                try db.execute(sql: "UPDATE entry SET leaf = ?, leaf_hash = ? WHERE idx = ?", arguments: [Data(entry.leaf), Data(hash), entry.index])
                try db.execute(sql: "UPDATE head SET root = ? WHERE size = ?", arguments: [Data(frontier.root()), frontier.size])
            }
            try db.execute(sql: "UPDATE tree_state SET frontier = ?", arguments: [Data(frontier.serialized)])
        }
        let report = try await AuditLog(store: SQLiteAuditStore(path: f.path)).verify(with: f.keys.verifier)
        #expect(!report.ok)
        #expect(report.firstBadIndex == 0)
        #expect(report.problem?.contains("0..<5") == true)
    }

    @Test("a checkpoint replaced by one signed with another key is refused")
    func replacedCheckpoint() async throws {
        let f = try await Fixture.make()
        let forger = try NoteSigner(name: "custos.test/audit", privateKey: Curve25519.Signing.PrivateKey())
        let forged = try forger.sign(Checkpoint(origin: "custos.test/audit", size: 8, rootHash: try await f.log.store.frontier().root()))
        let report = try await f.tamper("UPDATE checkpoint SET note = ? WHERE size = 8", [forged])
        #expect(!report.ok)
        #expect(report.problem?.contains("checkpoint at size 8") == true)
    }

    @Test("a checkpoint from another origin is refused")
    func otherOrigin() async throws {
        let f = try await Fixture.make()
        let other = try NoteSigner(name: "someone.else/log", privateKey: Curve25519.Signing.PrivateKey())
        let note = try other.sign(Checkpoint(origin: "someone.else/log", size: 8, rootHash: try await f.log.store.frontier().root()))
        let error = try #require(throws: CustosError.self) { try f.keys.verifier.verify(note, origin: f.keys.verifier.name) }
        #expect(error.message.contains("someone.else/log"))
    }

    @Test("a corrupt key file and a second init are precise errors")
    func keys() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-keys-\(UUID().uuidString)")
        _ = try AuditKeys.create(in: dir, origin: "log")
        #expect(throws: CustosError.self) { try AuditKeys.create(in: dir, origin: "log") }
        try "log\nnot-base64\n".write(to: dir.appendingPathComponent(AuditKeys.signingKeyFile), atomically: true, encoding: .utf8)
        let error = try #require(throws: CustosError.self) { try AuditKeys.load(from: dir) }
        #expect(error.message.contains("corrupt"))
        try "c2hvcnQ=\n".write(to: dir.appendingPathComponent(AuditKeys.masterKeyFile), atomically: true, encoding: .utf8)
        let master = try #require(throws: CustosError.self) { try AuditKeys.loadMasterKey(from: dir) }
        #expect(master.message.contains("master key"))
    }

    @Test("periodic checkpoints are signed once enough entries accumulate")
    func periodicCheckpoints() async throws {
        let f = try await Fixture.make()
        #expect(try await f.log.checkpointIfDue(signer: f.keys.signer, every: 3) == nil)
        try await f.log.append((0..<3).map { .object(["n": .number(Double($0))]) })
        let note = try #require(try await f.log.checkpointIfDue(signer: f.keys.signer, every: 3))
        #expect(try f.keys.verifier.verify(note).size == 11)
        #expect(try await f.log.verify(with: f.keys.verifier).checkpoints == 3)
    }
}
