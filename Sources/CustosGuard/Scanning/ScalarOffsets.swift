/// Conversions between UTF-8 byte offsets and Unicode-scalar offsets of one string.
struct ScalarOffsets {
    /// `scalarIndex[b]` is the scalar index of the scalar containing UTF-8 byte `b`; one extra entry for the end.
    private let scalarIndex: [Int32]

    /// Indexes `bytes` (valid UTF-8).
    init(_ bytes: [UInt8]) {
        var table = [Int32](repeating: 0, count: bytes.count + 1)
        var scalar: Int32 = -1
        for (b, byte) in bytes.enumerated() {
            if byte & 0xC0 != 0x80 { scalar += 1 }
            table[b] = scalar
        }
        table[bytes.count] = scalar + 1
        scalarIndex = table
    }

    /// Scalar offset of byte offset `byte` (which must start a scalar or be the end).
    func scalar(atByte byte: Int) -> Int { Int(scalarIndex[byte]) }

    /// The finding for the byte range `range`.
    func finding(_ range: Range<Int>, type: String, score: Double? = nil) -> Finding {
        Finding(start: scalar(atByte: range.lowerBound), end: scalar(atByte: range.upperBound), type: type, score: score)
    }
}
