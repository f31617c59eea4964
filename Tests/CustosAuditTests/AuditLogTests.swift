import Crypto
import CustosAudit
import CustosCore
import Foundation
import Testing

@Suite("Audit log detects tampering in the store (SQLite and PostgreSQL)")
struct AuditLogTests {
    struct Fixture {
        let store: TestStore
        let keys: AuditKeys
        let keyDirectory: URL
        let log: AuditLog

        /// Eight records appended in two batches (5 + 3), each followed by a signed checkpoint.
        static func make(_ store: TestStore) async throws -> Fixture {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-audit-keys-\(UUID().uuidString)")
            let keys = try AuditKeys.create(in: dir, origin: "custos.test/audit")
            let log = AuditLog(store: try await store.open())
            let records = (0..<8).map { i in
                JSONValue.object(["caller": .string("app-\(i % 3)"), "decision": .string(i % 2 == 0 ? "allow" : "block"), "score": .number(Double(i) / 8)])
            }
            try await log.append(Array(records[0..<5]))
            try await log.checkpoint(signer: keys.signer)
            try await log.append(Array(records[5...]))
            try await log.checkpoint(signer: keys.signer)
            return Fixture(store: store, keys: keys, keyDirectory: dir, log: log)
        }

        /// A fixture on a fresh store of `kind`; the store is closed and removed afterwards.
        static func with<T: Sendable>(_ kind: StoreKind, _ body: (Fixture) async throws -> T) async throws -> T {
            try await TestStore.with(kind) { store in
                let fixture = try await make(store)
                defer { try? FileManager.default.removeItem(at: fixture.keyDirectory) }
                do {
                    let result = try await body(fixture)
                    await fixture.log.store.close()
                    return result
                } catch {
                    await fixture.log.store.close()
                    throw error
                }
            }
        }

        /// Edits the database behind the log's back, then reopens and verifies.
        func tamper(_ statements: [(sql: String, values: [SQLValue])]) async throws -> VerificationReport {
            try await store.execute(statements)
            return try await withAuditStore(at: store.location, createIfMissing: false) { reopened in
                try await AuditLog(store: reopened).verify(with: keys.verifier)
            }
        }

        func tamper(_ sql: String, _ values: [SQLValue] = []) async throws -> VerificationReport {
            try await tamper([(sql, values)])
        }
    }

    @Test("an untouched log verifies, and the stored frontier equals the tree rebuilt from the leaves", arguments: StoreKind.allCases)
    func intact(_ kind: StoreKind) async throws {
        try await Fixture.with(kind) { f in
            let report = try await f.log.verify(with: f.keys.verifier)
            #expect(report.ok && report.size == 8 && report.checkpoints == 2)
            let tree = try await f.log.tree()
            #expect(try await f.log.store.frontier().root() == (try tree.root()))
            #expect(try await f.log.store.heads().map(\.size) == [5, 8])
            #expect(try await f.log.store.entry(at: 7).index == 7)
            await #expect(throws: CustosError.self) { try await f.log.store.entry(at: 8) }
        }
    }

    @Test("inclusion and consistency proofs from the stored log verify against its signed checkpoints", arguments: StoreKind.allCases)
    func proofs(_ kind: StoreKind) async throws {
        try await Fixture.with(kind) { f in
            let tree = try await f.log.tree()
            let checkpoints = try await f.log.store.checkpoints()
            #expect(checkpoints.map(\.size) == [5, 8])
            #expect(try await f.log.store.latestCheckpointSize() == 8)
            let old = try f.keys.verifier.verify(checkpoints[0].note)
            let new = try f.keys.verifier.verify(checkpoints[1].note)
            let entry = try await f.log.store.entry(at: 3)
            let proof = try tree.inclusionProof(index: 3, size: 8)
            #expect(ProofVerification.verifyInclusion(leafHash: entry.leafHash, index: 3, size: 8, proof: proof, root: new.rootHash))
            let consistency = try tree.consistencyProof(from: 5, to: 8)
            #expect(ProofVerification.verifyConsistency(oldSize: 5, newSize: 8, oldRoot: old.rootHash, newRoot: new.rootHash, proof: consistency))
        }
    }

    @Test("concurrent appends through one store each get a contiguous range and their own tree head (group commit on SQLite)",
          arguments: StoreKind.allCases)
    func concurrentAppends(_ kind: StoreKind) async throws {
        try await TestStore.with(kind) { testStore in
            let keyDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-audit-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: keyDirectory) }
            let keys = try AuditKeys.create(in: keyDirectory, origin: "custos.test/audit")
            try await withAuditStore(at: testStore.location) { store in
                let log = AuditLog(store: store)
                let tasks = 40
                let batches = try await withThrowingTaskGroup(of: AppendBatch.self) { group in
                    for t in 0..<tasks {
                        group.addTask {
                            try await log.append((0..<3).map { k in .object(["t": .number(Double(t)), "k": .number(Double(k))]) })
                        }
                    }
                    var all: [AppendBatch] = []
                    for try await batch in group { all.append(batch) }
                    return all
                }
                #expect(Set(batches.map(\.first)) == Set(stride(from: 0, to: tasks * 3, by: 3)))
                #expect(Set(batches.map(\.head.size)) == Set(stride(from: 3, through: tasks * 3, by: 3)))
                #expect(try await store.heads().count == tasks)
                try await log.checkpoint(signer: keys.signer)
                let report = try await log.verify(with: keys.verifier)
                #expect(report.ok && report.size == tasks * 3, "\(report.problem ?? "")")
            }
        }
    }

    @Test("a flipped byte in a record is named by index", arguments: StoreKind.allCases)
    func flippedRecordByte(_ kind: StoreKind) async throws {
        try await Fixture.with(kind) { f in
            let leaf = String(decoding: try await f.log.store.entry(at: 4).leaf, as: UTF8.self).replacingOccurrences(of: "allow", with: "alloW")
            let report = try await f.tamper("UPDATE entry SET leaf = ? WHERE idx = 4", [.bytes(Array(leaf.utf8))])
            #expect(!report.ok)
            #expect(report.firstBadIndex == 4)
        }
    }

    @Test("a flipped byte in a stored hash is named by index", arguments: StoreKind.allCases)
    func flippedHash(_ kind: StoreKind) async throws {
        try await Fixture.with(kind) { f in
            var hash = try await f.log.store.entry(at: 6).leafHash
            hash[0] ^= 0x80
            let report = try await f.tamper("UPDATE entry SET leaf_hash = ? WHERE idx = 6", [.bytes(hash)])
            #expect(report.firstBadIndex == 6)
        }
    }

    @Test("a flipped byte in a recorded tree head or in the stored frontier is detected", arguments: StoreKind.allCases)
    func flippedNode(_ kind: StoreKind) async throws {
        let zeros = SQLValue.bytes([UInt8](repeating: 0, count: 32))
        let head = try await Fixture.with(kind) { f in try await f.tamper("UPDATE head SET root = ? WHERE size = 8", [zeros]) }
        #expect(!head.ok)
        #expect(head.firstBadIndex == 5)
        let state = try await Fixture.with(kind) { f in try await f.tamper("UPDATE tree_state SET frontier = ?", [zeros]) }
        #expect(!state.ok)
        #expect(state.problem?.contains("tree state") == true)
    }

    @Test("a deleted row is named by index", arguments: StoreKind.allCases)
    func deletedRow(_ kind: StoreKind) async throws {
        let report = try await Fixture.with(kind) { f in try await f.tamper("DELETE FROM entry WHERE idx = 3") }
        #expect(!report.ok)
        #expect(report.firstBadIndex == 3)
    }

    @Test("reordered rows are named by the first index of the append whose tree head changed", arguments: StoreKind.allCases)
    func reordered(_ kind: StoreKind) async throws {
        let report = try await Fixture.with(kind) { f in
            try await f.tamper([
                ("UPDATE entry SET idx = -1 WHERE idx = 6", []), ("UPDATE entry SET idx = 6 WHERE idx = 7", []),
                ("UPDATE entry SET idx = 7 WHERE idx = -1", []),
            ])
        }
        #expect(!report.ok)
        #expect(report.firstBadIndex == 5)
        #expect(report.problem?.contains("5..<8") == true)
    }

    @Test("a truncated table is detected against the last checkpoint", arguments: StoreKind.allCases)
    func truncated(_ kind: StoreKind) async throws {
        let report = try await Fixture.with(kind) { f in try await f.tamper("DELETE FROM entry WHERE idx >= 6") }
        #expect(!report.ok)
        #expect(report.firstBadIndex == 6)
        #expect(report.problem?.contains("truncated") == true)
    }

    @Test("a history rewritten with recomputed hashes, heads and state is caught by the signed checkpoint", arguments: StoreKind.allCases)
    func consistentRewrite(_ kind: StoreKind) async throws {
        let report = try await Fixture.with(kind) { f in
            // The attacker rewrites entry 1 and recomputes every stored hash, tree head and the frontier.
            var entries = try await f.log.store.allEntries()
            entries[1].leaf = Array(#"{"caller":"app-1","decision":"allow","score":0.125}"#.utf8)
            var frontier = MerkleFrontier()
            var statements: [(sql: String, values: [SQLValue])] = []
            for entry in entries {
                let hash = MerkleHash.leaf(entry.leaf)
                frontier.append(leafHash: hash)
                statements.append(("UPDATE entry SET leaf = ?, leaf_hash = ? WHERE idx = ?", [.bytes(entry.leaf), .bytes(hash), .int(entry.index)]))
                statements.append(("UPDATE head SET root = ? WHERE size = ?", [.bytes(frontier.root()), .int(frontier.size)]))
            }
            statements.append(("UPDATE tree_state SET frontier = ?", [.bytes(frontier.serialized)]))
            return try await f.tamper(statements)
        }
        #expect(!report.ok)
        #expect(report.firstBadIndex == 0)
        #expect(report.problem?.contains("0..<5") == true)
    }

    @Test("a checkpoint replaced by one signed with another key is refused", arguments: StoreKind.allCases)
    func replacedCheckpoint(_ kind: StoreKind) async throws {
        let report = try await Fixture.with(kind) { f in
            let forger = try NoteSigner(name: "custos.test/audit", privateKey: Curve25519.Signing.PrivateKey())
            let forged = try forger.sign(Checkpoint(origin: "custos.test/audit", size: 8, rootHash: try await f.log.store.frontier().root()))
            return try await f.tamper("UPDATE checkpoint SET note = ? WHERE size = 8", [.text(forged)])
        }
        #expect(!report.ok)
        #expect(report.problem?.contains("checkpoint at size 8") == true)
    }

    @Test("a checkpoint from another origin is refused")
    func otherOrigin() async throws {
        try await Fixture.with(.sqlite) { f in
            let other = try NoteSigner(name: "someone.else/log", privateKey: Curve25519.Signing.PrivateKey())
            let note = try other.sign(Checkpoint(origin: "someone.else/log", size: 8, rootHash: try await f.log.store.frontier().root()))
            let error = try #require(throws: CustosError.self) { try f.keys.verifier.verify(note, origin: f.keys.verifier.name) }
            #expect(error.message.contains("someone.else/log"))
        }
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

    @Test("periodic checkpoints are signed once enough entries accumulate", arguments: StoreKind.allCases)
    func periodicCheckpoints(_ kind: StoreKind) async throws {
        try await Fixture.with(kind) { f in
            #expect(try await f.log.checkpointIfDue(signer: f.keys.signer, every: 3) == nil)
            try await f.log.append((0..<3).map { .object(["n": .number(Double($0))]) })
            let note = try #require(try await f.log.checkpointIfDue(signer: f.keys.signer, every: 3))
            #expect(try f.keys.verifier.verify(note).size == 11)
            #expect(try await f.log.verify(with: f.keys.verifier).checkpoints == 3)
        }
    }
}
