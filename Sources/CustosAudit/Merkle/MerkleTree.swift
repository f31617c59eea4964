import CustosCore

/// An append-only RFC 9162 Merkle tree kept incrementally: every complete, aligned subtree's hash
/// is stored level by level, so an append costs O(log n) hashes and any range hash (and so any
/// root, inclusion proof or consistency proof) needs O(log n) stored values.
public struct MerkleTree: Sendable, Equatable {
    /// `levels[h][i]` is the hash of leaves `i·2^h ..< (i+1)·2^h`.
    public private(set) var levels: [[Hash]] = [[]]

    /// An empty tree.
    public init() {}

    /// A tree over these leaf hashes.
    public init(leafHashes: [Hash]) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    /// Number of leaves.
    public var size: Int { levels[0].count }

    /// Appends a leaf given its data; returns its index.
    @discardableResult
    public mutating func append(leaf data: [UInt8]) -> Int {
        append(leafHash: MerkleHash.leaf(data))
    }

    /// Appends a leaf given its leaf hash; returns its index.
    @discardableResult
    public mutating func append(leafHash: Hash) -> Int {
        levels[0].append(leafHash)
        var h = 0
        // Each time a level gets an even count, its last two nodes complete a subtree one level up.
        while levels[h].count % 2 == 0 {
            let count = levels[h].count
            let parent = MerkleHash.node(levels[h][count - 2], levels[h][count - 1])
            if levels.count == h + 1 { levels.append([]) }
            levels[h + 1].append(parent)
            h += 1
        }
        return size - 1
    }

    /// The leaf hash at `index`.
    public func leafHash(at index: Int) throws -> Hash {
        guard index >= 0 && index < size else {
            throw CustosError(.invalidInput, "leaf index \(index) is outside the tree of size \(size)")
        }
        return levels[0][index]
    }

    /// The root of the tree of the first `size` leaves (RFC 9162 MTH); the empty tree's root for 0.
    public func root(size n: Int? = nil) throws -> Hash {
        let n = n ?? size
        try checkSize(n)
        return n == 0 ? MerkleHash.empty : rangeHash(0, n)
    }

    /// MTH of leaves `start ..< end` (non-empty). Follows RFC 9162's split: the left part is a
    /// complete aligned subtree, read from `levels`; only the right part recurses.
    func rangeHash(_ start: Int, _ end: Int) -> Hash {
        let n = end - start
        if n & (n - 1) == 0 && start % n == 0 {
            return levels[n.trailingZeroBitCount][start / n]
        }
        let k = MerkleHash.split(n)
        return MerkleHash.node(rangeHash(start, start + k), rangeHash(start + k, end))
    }

    /// The inclusion proof (audit path) of leaf `index` in the tree of size `n` (RFC 9162 §2.1.3.1).
    public func inclusionProof(index: Int, size n: Int? = nil) throws -> [Hash] {
        let n = n ?? size
        try checkSize(n)
        guard index >= 0 && index < n else {
            throw CustosError(.invalidInput, "leaf index \(index) is outside the tree of size \(n)")
        }
        var proof: [Hash] = []
        path(index, 0, n, &proof)
        return proof
    }

    private func path(_ m: Int, _ start: Int, _ end: Int, _ proof: inout [Hash]) {
        let n = end - start
        guard n > 1 else { return }
        let k = MerkleHash.split(n)
        if m < k {
            path(m, start, start + k, &proof)
            proof.append(rangeHash(start + k, end))
        } else {
            path(m - k, start + k, end, &proof)
            proof.append(rangeHash(start, start + k))
        }
    }

    /// The consistency proof between the trees of sizes `old` and `new` (RFC 9162 §2.1.4.1);
    /// empty when `old` is 0 or equals `new`.
    public func consistencyProof(from old: Int, to new: Int? = nil) throws -> [Hash] {
        let new = new ?? size
        try checkSize(new)
        guard old >= 0 && old <= new else {
            throw CustosError(.invalidInput, "consistency needs 0 ≤ old size (\(old)) ≤ new size (\(new))")
        }
        guard old > 0 && old < new else { return [] }
        var proof: [Hash] = []
        subproof(old, 0, new, true, &proof)
        return proof
    }

    private func subproof(_ m: Int, _ start: Int, _ end: Int, _ complete: Bool, _ proof: inout [Hash]) {
        let n = end - start
        if m == n {
            if !complete { proof.append(rangeHash(start, end)) }
            return
        }
        let k = MerkleHash.split(n)
        if m <= k {
            subproof(m, start, start + k, complete, &proof)
            proof.append(rangeHash(start + k, end))
        } else {
            subproof(m - k, start + k, end, false, &proof)
            proof.append(rangeHash(start, start + k))
        }
    }

    private func checkSize(_ n: Int) throws {
        guard n >= 0 && n <= size else {
            throw CustosError(.invalidInput, "tree size \(n) is outside 0…\(size)")
        }
    }
}
