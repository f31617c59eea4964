import Foundation

/// Substring search over UTF-8 bytes: libc `memchr` (vectorized) to the needle's first byte, then `memcmp`.
enum ByteSearch {
    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        var found = false
        forEachMatch(haystack, needle) { _ in
            found = true
            return false
        }
        return found
    }

    /// The non-overlapping occurrences of `needle` in `haystack`, left to right, as offsets from the slice's start.
    static func ranges(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        forEachMatch(haystack, needle) { start in
            found.append(start..<(start + needle.count))
            return true
        }
        return found
    }

    /// Calls `body` with the start of each non-overlapping occurrence until it returns false.
    private static func forEachMatch(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8], _ body: (Int) -> Bool) {
        guard let first = needle.first, haystack.count >= needle.count else { return }
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                guard let base = h.baseAddress, let needleBase = n.baseAddress else { return }
                var offset = 0
                let last = h.count - n.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return }
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, needleBase, n.count) == 0 {
                        guard body(position) else { return }
                        offset = position + n.count
                    } else {
                        offset = position + 1
                    }
                }
            }
        }
    }
}
