/// One stored log entry: the exact leaf bytes and their RFC 9162 leaf hash.
public struct StoredEntry: Sendable, Equatable {
    /// 0-based position in the log.
    public var index: Int
    /// The bytes hashed as the leaf (canonical JSON of the record).
    public var leaf: [UInt8]
    /// SHA-256(0x00 ‖ leaf) as stored at append time.
    public var leafHash: Hash
    /// The tree head (root of entries 0…index) recorded at append time; lets `verify` name the first
    /// entry whose history changed.
    public var root: Hash
}

/// Where an audit log keeps its entries and signed checkpoints. Implementations must append
/// atomically (an entry is there completely or not at all) and durably before returning.
public protocol AuditStore: Sendable {
    /// Appends entries after the current last one, in one transaction; returns the first new index.
    /// `roots[k]` is the tree head after appending `leaves[k]`.
    func append(leaves: [[UInt8]], leafHashes: [Hash], roots: [Hash]) throws -> Int
    /// Number of entries.
    func count() throws -> Int
    /// Every entry in index order (as stored: a tampered store may have gaps or reordering).
    func entries() throws -> [StoredEntry]
    /// The entry at `index`.
    func entry(at index: Int) throws -> StoredEntry
    /// Leaf hashes in index order, to rebuild the tree when the log is opened.
    func leafHashes() throws -> [Hash]
    /// Saves a signed checkpoint note for a tree size.
    func saveCheckpoint(size: Int, note: String) throws
    /// Every saved checkpoint, by size.
    func checkpoints() throws -> [(size: Int, note: String)]
}
