/// A set of ASCII bytes as two 64-bit masks: a membership test is a shift and a mask, cheap enough for loops
/// that look at every byte of a text.
struct ASCIISet: Sendable {
    private let low: UInt64
    private let high: UInt64

    /// The set of `members`' ASCII bytes (others are ignored).
    init(_ members: String) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for b in members.utf8 where b < 128 {
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }
        self.low = low
        self.high = high
    }

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        b < 64 ? low >> UInt64(b) & 1 != 0 : b < 128 && high >> UInt64(b &- 64) & 1 != 0
    }
}
