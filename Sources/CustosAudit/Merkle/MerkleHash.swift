import Crypto
import Foundation

/// A SHA-256 digest (32 bytes).
public typealias Hash = [UInt8]

/// RFC 9162 §2.1.1 hashing: domain-separated leaf and interior-node hashes, so a leaf can never be
/// passed off as a node (second-preimage resistance of the tree).
public enum MerkleHash {
    /// Byte prefixed to leaf data before hashing.
    public static let leafPrefix: UInt8 = 0x00
    /// Byte prefixed to two child hashes before hashing.
    public static let nodePrefix: UInt8 = 0x01

    /// SHA-256(0x00 || data).
    public static func leaf<D: DataProtocol>(_ data: D) -> Hash {
        var hasher = SHA256()
        withUnsafeBytes(of: leafPrefix) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// SHA-256(0x00 || leaf) of contiguous bytes, without the generic `DataProtocol` path: every append hashes
    /// each of its leaves, and `verify` every leaf of the log.
    public static func leaf(_ bytes: [UInt8]) -> Hash {
        var hasher = SHA256()
        withUnsafeBytes(of: leafPrefix) { hasher.update(bufferPointer: $0) }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }

    /// SHA-256(0x01 || left || right), hashed in one call over a 65-byte stack buffer (appends make one of these
    /// per leaf, amortized, inside the store's transaction).
    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        guard left.count == 32, right.count == 32 else {
            var hasher = SHA256()
            withUnsafeBytes(of: nodePrefix) { hasher.update(bufferPointer: $0) }
            hasher.update(data: left)
            hasher.update(data: right)
            return hasher.finalize().withUnsafeBytes { Array($0) }
        }
        return withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { block in
            block[0] = nodePrefix
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: block[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: block[33..<65]).copyMemory(from: $0) }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(block))
            return hasher.finalize().withUnsafeBytes { Array($0) }
        }
    }

    /// The root of the empty tree: SHA-256 of the empty string.
    public static let empty: Hash = Array(SHA256.hash(data: [UInt8]()))

    /// The largest power of two strictly less than `n` (n ≥ 2): where RFC 9162 splits a tree.
    static func split(_ n: Int) -> Int {
        precondition(n >= 2, "only trees of two or more leaves split")
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
