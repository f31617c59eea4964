/// One stored log entry: the exact leaf bytes and their RFC 9162 leaf hash.
public struct StoredEntry: Sendable, Equatable {
    /// 0-based position in the log.
    public var index: Int
    /// The bytes hashed as the leaf (canonical JSON of the record).
    public var leaf: [UInt8]
    /// SHA-256(0x00 ‖ leaf) as stored at append time.
    public var leafHash: Hash

    /// An entry.
    public init(index: Int, leaf: [UInt8], leafHash: Hash) {
        self.index = index
        self.leaf = leaf
        self.leafHash = leafHash
    }
}

/// A signed checkpoint note as stored, by tree size.
public struct StoredCheckpoint: Sendable, Equatable {
    /// The tree size it covers.
    public var size: Int
    /// The signed note text.
    public var note: String

    /// A stored checkpoint.
    public init(size: Int, note: String) {
        self.size = size
        self.note = note
    }
}

/// A per-subject data key, wrapped (AES-GCM) under the log's master key.
public struct WrappedKey: Sendable, Equatable {
    /// Random identifier recorded in every payload sealed with this key (never the subject itself).
    public var keyID: String
    /// Which master key wrapped it.
    public var masterKeyID: String
    /// nonce ‖ ciphertext ‖ tag of the 32-byte data key.
    public var wrapped: [UInt8]

    /// A wrapped key.
    public init(keyID: String, masterKeyID: String, wrapped: [UInt8]) {
        self.keyID = keyID
        self.masterKeyID = masterKeyID
        self.wrapped = wrapped
    }
}

/// A store refused an append because a data key its payloads were sealed under (`HashedLeaves.sealedUnder`) no
/// longer exists: the subject was forgotten after the key was read. Nothing of that append was written (other
/// appends committed in the same transaction were).
/// `AuditLog` answers it by sealing the payloads again under the subject's current key.
public struct ForgottenSubjectKeys: Error, Sendable, CustomStringConvertible {
    /// The missing key ids.
    public let keyIDs: [String]

    /// The error for `keyIDs`.
    public init(keyIDs: [String]) {
        self.keyIDs = keyIDs
    }

    /// What happened, naming the keys.
    public var description: String {
        "the subject data key\(keyIDs.count == 1 ? "" : "s") \(keyIDs.joined(separator: ", ")) \(keyIDs.count == 1 ? "was" : "were") destroyed (subject forgotten) before the append committed; nothing was written"
    }
}

/// Where an audit log keeps its entries, tree state, signed checkpoints and wrapped subject keys.
///
/// `append` must be atomic and durable before it returns, and serialized with every other writer of
/// the same log (other tasks, processes or machines): inside one transaction it reads the stored
/// `MerkleFrontier`, extends it with `AppendBatch`, writes the entries, the new tree head and the new
/// frontier. That is what makes one linear history out of concurrent appenders.
public protocol AuditStore: Sendable {
    /// Appends leaves (hashed by the caller, outside the store's lock) after the current last entry; returns
    /// the batch written (first index, new head). Inside the same transaction it checks that every key in
    /// `leaves.sealedUnder` still exists (serialized with `forget`), and throws `ForgottenSubjectKeys`, writing
    /// nothing, when one does not.
    func append(_ leaves: HashedLeaves) async throws -> AppendBatch
    /// The stored tree state (size and frontier).
    func frontier() async throws -> MerkleFrontier
    /// Up to `limit` entries with index ≥ `start`, in index order, as stored (a tampered store may have
    /// gaps or reordering).
    func entries(from start: Int, limit: Int) async throws -> [StoredEntry]
    /// The entry at `index`.
    func entry(at index: Int) async throws -> StoredEntry
    /// Leaf hashes in index order, to build the full tree for proofs.
    func leafHashes() async throws -> [Hash]
    /// The tree head recorded after each append, by size.
    func heads() async throws -> [TreeHead]
    /// Saves a signed checkpoint note for a tree size.
    func saveCheckpoint(size: Int, note: String) async throws
    /// Every saved checkpoint, by size.
    func checkpoints() async throws -> [StoredCheckpoint]
    /// The largest tree size with a saved checkpoint (nil: none yet). One indexed lookup, however many there are:
    /// the gateway asks after every group commit whether a checkpoint is due.
    func latestCheckpointSize() async throws -> Int?
    /// The subject's current data key; when it has none, stores `make()`'s key and returns it. Concurrent
    /// callers for one subject all get the same key.
    func subjectKey(for subject: String, make: @Sendable () throws -> WrappedKey) async throws -> WrappedKey
    /// Wrapped data keys by key id (for reading payloads); forgotten keys are absent.
    func wrappedKey(id: String) async throws -> WrappedKey?
    /// Destroys the subject's data keys beyond recovery (crypto-shredding); returns their key ids.
    func forget(subject: String) async throws -> [String]
    /// Releases the store's connections (PostgreSQL's pool); the store is unusable afterwards. Stores that
    /// hold nothing that needs closing (SQLite, closed when released) do nothing.
    func close() async
}

extension AuditStore {
    /// Nothing to release.
    public func close() async {}

    /// Hashes `leaves` and appends them.
    public func append(leaves: [[UInt8]]) async throws -> AppendBatch {
        try await append(HashedLeaves(leaves))
    }

    /// Every entry in index order, read in pages.
    public func allEntries(pageSize: Int = 50_000) async throws -> [StoredEntry] {
        var all: [StoredEntry] = []
        var start = 0
        while true {
            let page = try await entries(from: start, limit: pageSize)
            all += page
            guard page.count == pageSize, let last = page.last else { return all }
            start = last.index + 1
        }
    }
}
