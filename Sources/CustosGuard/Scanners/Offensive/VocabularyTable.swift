import Foundation

/// The model's vocabulary as an open-addressing hash table over UTF-8 bytes (FNV-1a): ASCII tokens are looked
/// up straight from the text's bytes, without building a `String` and hashing it with SipHash.
struct VocabularyTable: Sendable {
    private let slots: [Int32]
    private let mask: Int
    private let bytes: [UInt8]
    private let offsets: [Int32]

    /// Indexes `vocabulary` (term → column).
    init(_ vocabulary: [String: Int]) {
        let count = (vocabulary.values.max() ?? -1) + 1
        var terms = [String](repeating: "", count: count)
        for (term, column) in vocabulary { terms[column] = term }
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for term in terms {
            bytes.append(contentsOf: term.utf8)
            offsets.append(Int32(bytes.count))
        }
        var size = 16
        while size < 2 * count { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        for column in 0..<count where !terms[column].isEmpty {
            let term = bytes[Int(offsets[column])..<Int(offsets[column + 1])]
            var slot = Self.hash(term) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(column)
        }
        self.slots = slots
        self.mask = size - 1
        self.bytes = bytes
        self.offsets = offsets
    }

    /// The column of the term spelled by `token`, if any; the caller computed its `hash` (`hashSeed`, `hashStep`
    /// per byte, `hashFinish`) while finding it.
    func column(of token: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
        var slot = hash & mask
        while true {
            let column = Int(slots[slot])
            if column < 0 { return nil }
            let start = Int(offsets[column]), end = Int(offsets[column + 1])
            if end - start == token.count, bytes.withUnsafeBufferPointer({ stored in
                guard let a = stored.baseAddress, let b = token.baseAddress else { return token.isEmpty }
                return memcmp(a + start, b, token.count) == 0
            }) {
                return column
            }
            slot = (slot + 1) & mask
        }
    }

    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func hashStep(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    @inline(__always) static func hashFinish(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h ^ (h >> 29)) }

    @inline(__always)
    private static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var h = hashSeed
        for b in bytes { h = hashStep(h, b) }
        return hashFinish(h)
    }
}
