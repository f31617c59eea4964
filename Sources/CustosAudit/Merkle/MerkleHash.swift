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
        hasher.update(data: [leafPrefix])
        hasher.update(data: data)
        return Array(hasher.finalize())
    }

    /// SHA-256(0x01 || left || right).
    public static func node(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [nodePrefix])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
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

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }

    /// Bytes from hexadecimal text, or `nil` when it is not an even number of hex digits.
    public init?(hexString text: String) {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        self = bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
