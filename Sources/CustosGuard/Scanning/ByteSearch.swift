import Foundation

/// Substring search over UTF-8 bytes: libc `memchr` (vectorized) to the needle's first byte, then `memcmp`.
enum ByteSearch {
    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in firstMatch(h, n, from: 0) != nil }
        }
    }

    /// The non-overlapping occurrences of `needle` in `haystack`, left to right, as offsets from the slice's start.
    static func ranges(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> [Range<Int>] {
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var found: [Range<Int>] = []
                var offset = 0
                while let start = firstMatch(h, n, from: offset) {
                    found.append(start..<(start + n.count))
                    offset = start + n.count
                }
                return found
            }
        }
    }

    /// The first occurrence of `needle` (not empty) in `haystack` at or after `offset`.
    @inline(__always)
    private static func firstMatch(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int? {
        guard let first = needle.first, let base = haystack.baseAddress, let needleBase = needle.baseAddress,
              haystack.count >= needle.count else { return nil }
        var offset = offset
        let last = haystack.count - needle.count
        while offset <= last {
            guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return nil }
            let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + position, needleBase, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }
}
