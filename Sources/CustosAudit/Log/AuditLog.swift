import CustosCore
import Foundation

/// A tamper-evident, append-only log of JSON records: each record's RFC 8785 canonical JSON is a
/// leaf of an RFC 9162 Merkle tree kept in an `AuditStore`, with Ed25519-signed checkpoints.
///
/// Records may carry personal data in `payload`: with a `PayloadCipher`, a record's `payload` is sealed
/// under its `subject`'s data key and the `subject` field is not stored (only the random key id is), so
/// `forget(subject:)` makes those payloads unreadable without touching any hash.
///
/// The log holds no tree in memory: every append extends the store's frontier inside the store's
/// transaction, so any number of `AuditLog` values, tasks or processes can append to one store.
public struct AuditLog: Sendable {
    /// Where entries live.
    public let store: any AuditStore
    /// Seals payloads; `nil` when the log has no master key (then records with a `subject` are refused).
    public let cipher: PayloadCipher?
    /// Subjects' data keys as last read, checked by the store at each append (see `SubjectKeyCache`).
    private let subjectKeys = SubjectKeyCache()

    /// A log over `store`.
    public init(store: any AuditStore, cipher: PayloadCipher? = nil) {
        self.store = store
        self.cipher = cipher
    }

    /// Number of entries.
    public func size() async throws -> Int { try await store.frontier().size }

    /// Times an append seals its payloads again after the store found one of their keys destroyed meanwhile.
    static let resealAttempts = 3

    /// Appends records (each a JSON object) in one durable transaction; returns the batch (first index,
    /// new tree head).
    ///
    /// Payloads are sealed under their subjects' keys as cached from earlier appends; the store confirms inside
    /// its transaction that those keys still exist. When a subject was forgotten meanwhile (by another process),
    /// its cached key is dropped and the records are sealed again under the subject's new key.
    @discardableResult
    public func append(_ records: [JSONValue]) async throws -> AppendBatch {
        var attempt = 1
        while true {
            var keyIDs: Set<String> = []
            var stored: [JSONValue] = []
            stored.reserveCapacity(records.count)
            for (k, record) in records.enumerated() {
                stored.append(try await sealed(record, number: k + 1, keyIDs: &keyIDs))
            }
            var leaves = try await Self.encode(stored)
            leaves.sealedUnder = keyIDs.sorted()
            do {
                return try await store.append(leaves)
            } catch let forgotten as ForgottenSubjectKeys {
                subjectKeys.forget(keyIDs: Set(forgotten.keyIDs))
                guard attempt < Self.resealAttempts else {
                    throw CustosError(.io, "\(forgotten) (\(attempt) attempts; subjects are being forgotten while their records are appended)")
                }
                attempt += 1
            }
        }
    }

    /// Records per encoding task: a batch smaller than two of these is encoded inline, where a task would cost
    /// more than it saves.
    static let recordsPerEncodingTask = 256

    /// The canonical JSON of each record, in order, with its leaf hash. Both are most of an append's CPU time and
    /// need no tree state, so they run before the store's transaction, and large batches are split over the
    /// processor's cores (`custos-bench audit`, docs/audit.md).
    static func encode(_ records: [JSONValue]) async throws -> HashedLeaves {
        let cores = Parallel.threadCount
        guard cores > 1, records.count >= 2 * recordsPerEncodingTask else {
            return HashedLeaves(try records.map(CanonicalJSON.encode))
        }
        let chunk = max(recordsPerEncodingTask, (records.count + cores - 1) / cores)
        return try await withThrowingTaskGroup(of: (start: Int, leaves: HashedLeaves).self) { group in
            for start in stride(from: 0, to: records.count, by: chunk) {
                let end = min(start + chunk, records.count)
                group.addTask { (start, HashedLeaves(try records[start..<end].map(CanonicalJSON.encode))) }
            }
            var parts: [(start: Int, leaves: HashedLeaves)] = []
            for try await part in group { parts.append(part) }
            return HashedLeaves(joining: parts.sorted { $0.start < $1.start }.map(\.leaves))
        }
    }

    /// The record as stored: with a cipher, `payload` sealed under the subject's key (whose id joins `keyIDs`)
    /// and `subject` removed.
    private func sealed(_ record: JSONValue, number: Int, keyIDs: inout Set<String>) async throws -> JSONValue {
        guard case .object(var fields) = record else {
            throw CustosError(.invalidInput, "record \(number) is not a JSON object")
        }
        guard let subjectValue = fields["subject"] else {
            if cipher != nil, fields["payload"] != nil {
                throw CustosError(.invalidInput, "record \(number) has a payload but no subject; payloads are encrypted per subject so they can be forgotten")
            }
            return record
        }
        guard case .string(let subject) = subjectValue, !subject.isEmpty else {
            throw CustosError(.invalidInput, "record \(number): subject must be a non-empty string")
        }
        guard let cipher else {
            throw CustosError(.usage, "record \(number) has a subject but this log has no master key to encrypt its payload")
        }
        guard let payload = fields["payload"] else {
            throw CustosError(.invalidInput, "record \(number) has a subject but no payload")
        }
        let key: DataKey
        if let cached = subjectKeys.key(for: subject) {
            key = cached
        } else {
            key = try cipher.unwrapped(try await store.subjectKey(for: subject) { try cipher.newSubjectKey() })
            subjectKeys.remember(key, for: subject)
        }
        keyIDs.insert(key.keyID)
        fields["payload"] = try cipher.seal(payload, with: key)
        fields["subject"] = nil
        return .object(fields)
    }

    /// The record at `index` as a reader sees it: the payload decrypted when its key still exists, or
    /// `{"forgotten": true, "key_id": …}` when it was shredded.
    public func readableRecord(at index: Int) async throws -> (entry: StoredEntry, record: JSONValue) {
        let entry = try await store.entry(at: index)
        guard case .object(var fields) = try JSONValue.parse(entry.leaf) else {
            throw CustosError(.invalidInput, "entry \(index) is not a JSON object")
        }
        if let sealed = fields["payload"], let keyID = PayloadCipher.keyID(ofSealed: sealed) {
            if let key = try await store.wrappedKey(id: keyID) {
                guard let cipher else { throw CustosError(.usage, "entry \(index) has an encrypted payload; the master key is needed to read it") }
                fields["payload"] = try cipher.open(sealed, with: key)
            } else {
                fields["payload"] = .object(["forgotten": .bool(true), "key_id": .string(keyID)])
            }
        }
        return (entry, .object(fields))
    }

    /// Crypto-shreds `subject`: destroys its data keys, then appends an erasure record naming the key ids
    /// (not the subject). Returns the key ids destroyed; none when the subject had no payloads.
    @discardableResult
    public func forget(subject: String, time: Date = Date()) async throws -> [String] {
        subjectKeys.forget(subject: subject)
        let ids = try await store.forget(subject: subject)
        // An append of this process may have cached the key again while the store was deleting it.
        subjectKeys.forget(keyIDs: Set(ids))
        if !ids.isEmpty {
            try await append([.object([
                "event": .string("erasure"), "key_ids": .array(ids.map(JSONValue.string)),
                "time": .number(Double(Int(time.timeIntervalSince1970))),
            ])])
        }
        return ids
    }

    /// Signs the current tree head, saves the checkpoint and returns the note.
    @discardableResult
    public func checkpoint(signer: NoteSigner, time: Date = Date()) async throws -> String {
        let frontier = try await store.frontier()
        let head = Checkpoint(origin: signer.name, size: frontier.size, rootHash: frontier.root(),
                              extensions: ["timestamp \(Int(time.timeIntervalSince1970))"])
        let note = try signer.sign(head)
        try await store.saveCheckpoint(size: frontier.size, note: note)
        return note
    }

    /// The tree size of the latest signed checkpoint (0 when none was signed).
    public func latestCheckpointSize() async throws -> Int { try await store.latestCheckpointSize() ?? 0 }

    /// Signs a checkpoint when at least `every` entries were appended since the last one (periodic
    /// publication by volume); returns the note, or `nil` when none was due.
    @discardableResult
    public func checkpointIfDue(signer: NoteSigner, every: Int, time: Date = Date()) async throws -> String? {
        let size = try await store.frontier().size
        let last = try await store.latestCheckpointSize() ?? 0
        guard every > 0, size - last >= every else { return nil }
        return try await checkpoint(signer: signer, time: time)
    }

    /// The full tree, for inclusion and consistency proofs.
    public func tree() async throws -> MerkleTree {
        MerkleTree(leafHashes: try await store.leafHashes())
    }
}
