import CustosAudit
import CustosCore
import Foundation
import Testing

@Suite("Encrypted payloads and crypto-shredding")
struct PayloadEncryptionTests {
    static func record(_ subject: String?, _ text: String, _ n: Int) -> JSONValue {
        var fields: [String: JSONValue] = ["request_id": .string("req-\(n)"), "decision": .string("allow")]
        if let subject { fields["subject"] = .string(subject) }
        fields["payload"] = .object(["prompt": .string(text), "n": .number(Double(n))])
        return .object(fields)
    }

    @Test("payloads are sealed per subject; forgetting one subject makes only its payloads unreadable, and the log still verifies",
          arguments: StoreKind.allCases)
    func forget(_ kind: StoreKind) async throws {
        try await TestStore.with(kind) { testStore in
            let keyDir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-shred-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: keyDir) }
            let keys = try AuditKeys.create(in: keyDir, origin: "custos.test/shred")
            let master = try #require(try AuditKeys.loadMasterKey(from: keyDir))
            try await withAuditStore(at: testStore.location) { store in
                let log = AuditLog(store: store, cipher: PayloadCipher(master: master))
                try await log.append([
                    Self.record("alice@example.com", "my card is 4111 1111 1111 1111", 0),
                    Self.record("bob@example.com", "hello from bob", 1),
                    Self.record("alice@example.com", "second secret of alice", 2),
                    .object(["request_id": .string("req-3"), "decision": .string("block")]),
                ])
                try await log.checkpoint(signer: keys.signer)

                // Nothing personal is stored in the clear: no payload text, no subject.
                for entry in try await log.store.allEntries() {
                    let text = String(decoding: entry.leaf, as: UTF8.self)
                    #expect(!text.contains("4111") && !text.contains("alice") && !text.contains("bob@"))
                }
                #expect(try await log.readableRecord(at: 0).record == Self.record(nil, "my card is 4111 1111 1111 1111", 0))
                let aliceKeyID = try #require(PayloadCipher.keyID(ofSealed: try Self.payload(of: try await log.store.entry(at: 0))))
                #expect(PayloadCipher.keyID(ofSealed: try Self.payload(of: try await log.store.entry(at: 2))) == aliceKeyID)
                let aliceKey = try #require(try await log.store.wrappedKey(id: aliceKeyID))

                let destroyed = try await log.forget(subject: "alice@example.com")
                #expect(destroyed == [aliceKeyID])
                #expect(try await log.store.wrappedKey(id: aliceKeyID) == nil)
                for index in [0, 2] {
                    let payload = try Self.payload(ofRecord: try await log.readableRecord(at: index).record)
                    #expect(payload == .object(["forgotten": .bool(true), "key_id": .string(aliceKeyID)]))
                }
                #expect(try await log.readableRecord(at: 1).record == Self.record(nil, "hello from bob", 1))
                // The erasure is itself on the record, naming the key, not the subject.
                let erasure = String(decoding: try await log.store.entry(at: 4).leaf, as: UTF8.self)
                #expect(erasure.contains("erasure") && erasure.contains(aliceKeyID) && !erasure.contains("alice"))
                // Every proof still holds. On SQLite the wrapped key is also gone from the files on disk (database, WAL);
                // PostgreSQL's files are the server's (see docs/audit.md on what forgetting means there).
                #expect(try await log.verify(with: keys.verifier).ok)
                if case .sqlite(let path) = testStore.location {
                    let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
                    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasPrefix("audit.sqlite") {
                        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
                        #expect(!Self.contains(bytes, aliceKey.wrapped), "\(file) still holds the destroyed key")
                    }
                }
                #expect(try await log.forget(subject: "alice@example.com").isEmpty)
            }
        }
    }

    @Test("a key cached by one log value goes stale when another forgets the subject: the next append is sealed under a new key; the store refuses leaves sealed under a destroyed key and writes the rest",
          arguments: StoreKind.allCases)
    func staleCachedKey(_ kind: StoreKind) async throws {
        try await TestStore.with(kind) { testStore in
            let master = MasterKey.generate()
            try await withAuditStore(at: testStore.location) { store in
                let writer = AuditLog(store: store, cipher: PayloadCipher(master: master))
                try await writer.append([Self.record("erin", "before the erasure", 0)])
                let oldKeyID = try #require(PayloadCipher.keyID(ofSealed: try Self.payload(of: try await store.entry(at: 0))))
                // Another process (here another log value, with its own key cache) forgets erin; the writer still
                // holds the destroyed key in its cache.
                let other = AuditLog(store: store, cipher: PayloadCipher(master: master))
                #expect(try await other.forget(subject: "erin") == [oldKeyID])
                try await writer.append([Self.record("erin", "after the erasure", 2)])
                let newKeyID = try #require(PayloadCipher.keyID(ofSealed: try Self.payload(of: try await store.entry(at: 2))))
                #expect(newKeyID != oldKeyID)
                #expect(try await writer.readableRecord(at: 2).record == Self.record(nil, "after the erasure", 2))

                // The store's own check, with appends that may share a group commit: those sealed under the
                // destroyed key are refused naming it, the others are written.
                var stale = HashedLeaves([Array(#"{"request_id":"stale"}"#.utf8)])
                stale.sealedUnder = [newKeyID, oldKeyID].sorted()
                var current = HashedLeaves([Array(#"{"request_id":"current"}"#.utf8)])
                current.sealedUnder = [newKeyID]
                let size = try await writer.size()
                let refusals = try await withThrowingTaskGroup(of: [String]?.self) { group in
                    for k in 0..<8 {
                        let leaves = k.isMultiple(of: 2) ? stale : current
                        group.addTask {
                            do {
                                _ = try await store.append(leaves)
                                return nil
                            } catch let refused as ForgottenSubjectKeys {
                                return refused.keyIDs
                            }
                        }
                    }
                    var all: [[String]] = []
                    for try await refusal in group { if let refusal { all.append(refusal) } }
                    return all
                }
                #expect(refusals == Array(repeating: [oldKeyID], count: 4))
                #expect(try await writer.size() == size + 4)
                for index in size..<(size + 4) {
                    #expect(String(decoding: try await store.entry(at: index).leaf, as: UTF8.self).contains("current"))
                }
            }
        }
    }

    @Test("a wrong master key, a payload without a subject, and a subject without a master key are precise errors",
          arguments: StoreKind.allCases)
    func errors(_ kind: StoreKind) async throws {
        try await TestStore.with(kind) { testStore in
            try await withAuditStore(at: testStore.location) { store in
                let log = AuditLog(store: store, cipher: PayloadCipher(master: MasterKey.generate()))
                try await log.append([Self.record("carol", "hi", 0)])
                let other = AuditLog(store: store, cipher: PayloadCipher(master: MasterKey.generate()))
                let wrong = try await #require(throws: CustosError.self) { try await other.readableRecord(at: 0) }
                #expect(wrong.message.contains("wrapped by master key"))
                let noSubject = try await #require(throws: CustosError.self) { try await log.append([Self.record(nil, "x", 1)]) }
                #expect(noSubject.message.contains("record 1 has a payload but no subject"))
                let plain = AuditLog(store: store)
                let noKey = try await #require(throws: CustosError.self) { try await plain.append([Self.record("dave", "x", 2)]) }
                #expect(noKey.message.contains("no master key"))
                #expect(try await log.size() == 1)
            }
        }
    }

    static func payload(of entry: StoredEntry) throws -> JSONValue {
        try payload(ofRecord: try JSONValue.parse(entry.leaf))
    }

    static func payload(ofRecord record: JSONValue) throws -> JSONValue {
        guard case .object(let fields) = record, let payload = fields["payload"] else { throw CustosError(.invalidInput, "no payload") }
        return payload
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first && Array(haystack[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}
