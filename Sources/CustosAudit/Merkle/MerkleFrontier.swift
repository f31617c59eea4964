import CustosCore

/// The compact state of an RFC 9162 tree: the roots of the complete subtrees that make up its leaves
/// (one per set bit of the size, largest first). It is all an appender needs — extending it by one leaf
/// costs one hash amortized, and folding it gives the tree head — so stores keep it next to the entries
/// and extend it inside their write transaction: every writer, in any process, sees the same tree.
public struct MerkleFrontier: Sendable, Equatable {
    /// Number of leaves.
    public private(set) var size: Int
    /// Roots of the complete subtrees, leftmost (largest) first.
    public private(set) var subtrees: [Hash]

    /// The empty tree.
    public init() {
        size = 0
        subtrees = []
    }

    /// A frontier read back from storage; checked for shape so a corrupt state is an error, not a wrong root.
    public init(size: Int, serialized bytes: [UInt8]) throws {
        guard size >= 0, bytes.count == size.nonzeroBitCount * 32 else {
            throw CustosError(.invalidInput, "corrupt tree state: a tree of \(size) leaves needs \(max(size, 0).nonzeroBitCount) subtree hashes, found \(bytes.count) bytes")
        }
        self.size = size
        subtrees = stride(from: 0, to: bytes.count, by: 32).map { Array(bytes[$0..<($0 + 32)]) }
    }

    /// The subtree roots concatenated, for storage.
    public var serialized: [UInt8] { subtrees.flatMap { $0 } }

    /// Adds a leaf given its leaf hash: merges equal-sized subtrees, as binary addition carries.
    public mutating func append(leafHash: Hash) {
        var carry = leafHash
        var n = size
        while n & 1 == 1 {
            carry = MerkleHash.node(subtrees.removeLast(), carry)
            n >>= 1
        }
        subtrees.append(carry)
        size += 1
    }

    /// The tree head (RFC 9162 MTH): the subtrees folded right to left.
    public func root() -> Hash {
        guard var accumulator = subtrees.last else { return MerkleHash.empty }
        for subtree in subtrees.dropLast().reversed() {
            accumulator = MerkleHash.node(subtree, accumulator)
        }
        return accumulator
    }
}

/// A tree size and its root hash.
public struct TreeHead: Sendable, Equatable {
    /// Number of leaves.
    public var size: Int
    /// RFC 9162 MTH of those leaves.
    public var root: Hash

    /// A head.
    public init(size: Int, root: Hash) {
        self.size = size
        self.root = root
    }
}

/// Leaves with their RFC 9162 leaf hashes, hashed before a store's write transaction (hashing needs no tree
/// state, so it can run on every core while another append holds the store's lock).
public struct HashedLeaves: Sendable {
    /// The exact bytes of each leaf.
    public let leaves: [[UInt8]]
    /// SHA-256(0x00 ‖ leaf) of each leaf, in the same order.
    public let hashes: [Hash]
    /// The ids of the subject data keys these leaves' payloads are sealed under, sorted, without repeats. The
    /// store checks inside its append transaction that each still exists, and refuses the append with
    /// `ForgottenSubjectKeys` otherwise: no payload is stored under a key destroyed before it committed.
    public var sealedUnder: [String] = []

    /// Hashes `leaves`.
    public init(_ leaves: [[UInt8]]) {
        self.leaves = leaves
        hashes = leaves.map { MerkleHash.leaf($0) }
    }

    /// Concatenates parts hashed apart, in order.
    public init(joining parts: [HashedLeaves]) {
        leaves = parts.flatMap(\.leaves)
        hashes = parts.flatMap(\.hashes)
        sealedUnder = Array(Set(parts.flatMap(\.sealedUnder))).sorted()
    }

    /// Number of leaves.
    public var count: Int { leaves.count }
    /// Whether there are no leaves.
    public var isEmpty: Bool { leaves.isEmpty }
}

/// What a store writes for one append, computed from the stored frontier inside its transaction.
public struct AppendBatch: Sendable {
    /// Index of the first new leaf.
    public let first: Int
    /// SHA-256(0x00 ‖ leaf) of each new leaf.
    public let leafHashes: [Hash]
    /// The frontier after the append.
    public let frontier: MerkleFrontier
    /// The tree head after the append.
    public let head: TreeHead

    /// Extends `frontier` by leaves already hashed.
    public init(extending frontier: MerkleFrontier, with leaves: HashedLeaves) {
        first = frontier.size
        var next = frontier
        for hash in leaves.hashes { next.append(leafHash: hash) }
        leafHashes = leaves.hashes
        self.frontier = next
        head = TreeHead(size: next.size, root: next.root())
    }

    /// Extends `frontier` by `leaves`.
    public init(extending frontier: MerkleFrontier, with leaves: [[UInt8]]) {
        self.init(extending: frontier, with: HashedLeaves(leaves))
    }
}
