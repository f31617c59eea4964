import Foundation

/// Text as an array of Unicode scalars: the coordinate system of every PII span.
///
/// Spans are half-open ranges of Unicode-scalar offsets (`end` exclusive), the same numbers Python's `str`
/// indexing gives. `utf8Offset(ofScalar:)` and `utf16Offset(ofScalar:)` convert them for byte-oriented and
/// JavaScript/Foundation consumers; the conversions are exact for any text (combining marks, emoji, CJK,
/// right-to-left scripts), because a scalar is never split.
public struct ScalarText: Sendable, Equatable {
    /// The scalars, in order.
    public let scalars: [Unicode.Scalar]
    /// The scalar values as integers (the recognizers' fast path).
    public let values: [UInt32]

    /// Whether the text has an ASCII digit: recognizers of numbers skip texts without one (most prose).
    let hasDigit: Bool
    /// Whether the text has a colon (IPv6 addresses need one).
    let hasColon: Bool

    /// Words computed once and shared by the gazetteer recognizers.
    let wordCache = WordCache()

    /// Splits a string into scalars.
    public init(_ text: String) {
        // One decoding pass filling both arrays (UTF-8 length bounds the scalar count).
        let bound = text.utf8.count
        var scalars: [Unicode.Scalar] = []
        var values: [UInt32] = []
        scalars.reserveCapacity(bound)
        values.reserveCapacity(bound)
        var digit = false
        var colon = false
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            values.append(scalar.value)
            digit = digit || scalar.value &- 48 < 10
            colon = colon || scalar.value == 58
        }
        self.scalars = scalars
        self.values = values
        hasDigit = digit
        hasColon = colon
    }

    public static func == (a: ScalarText, b: ScalarText) -> Bool { a.values == b.values }

    /// The text's Latin-script words (see `NameWords`) with their kinds in `lexicon`, computed on first use.
    func words(lexicon: Lexicon?) -> [Word] { wordCache.words(of: self, lexicon: lexicon) }

    /// The number of scalars.
    public var count: Int { values.count }

    /// The text of a scalar range.
    public func string(_ range: Range<Int>) -> String { Self.string(values[range]) }

    /// A string from scalar values (assumed valid scalars), encoded to UTF-8 in one buffer: short words stay
    /// in the string's inline storage, with no allocation.
    static func string(_ values: ArraySlice<UInt32>) -> String {
        String(unsafeUninitializedCapacity: values.count * 4) { buffer in
            var n = 0
            for v in values {
                if v < 0x80 {
                    buffer[n] = UInt8(v); n += 1
                } else if v < 0x800 {
                    buffer[n] = UInt8(0xC0 | v >> 6); buffer[n + 1] = UInt8(0x80 | v & 0x3F); n += 2
                } else if v < 0x1_0000 {
                    buffer[n] = UInt8(0xE0 | v >> 12); buffer[n + 1] = UInt8(0x80 | v >> 6 & 0x3F)
                    buffer[n + 2] = UInt8(0x80 | v & 0x3F); n += 3
                } else {
                    buffer[n] = UInt8(0xF0 | v >> 18); buffer[n + 1] = UInt8(0x80 | v >> 12 & 0x3F)
                    buffer[n + 2] = UInt8(0x80 | v >> 6 & 0x3F); buffer[n + 3] = UInt8(0x80 | v & 0x3F); n += 4
                }
            }
            return n
        }
    }

    /// The whole text.
    public var string: String { string(0..<count) }

    /// The UTF-8 byte offset at which the scalar with this offset starts (`count` maps to the byte length).
    public func utf8Offset(ofScalar offset: Int) -> Int {
        var bytes = 0
        for value in values[0..<min(offset, count)] {
            bytes += value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x1_0000 ? 3 : 4
        }
        return bytes
    }

    /// The UTF-16 code-unit offset at which the scalar with this offset starts.
    public func utf16Offset(ofScalar offset: Int) -> Int {
        var units = 0
        for value in values[0..<min(offset, count)] { units += value < 0x1_0000 ? 1 : 2 }
        return units
    }
}

/// Character classes over scalar values, ASCII-exact and Unicode-aware where it matters.
enum Scalars {
    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v &- 48 < 10 }
    @inline(__always) static func isUpper(_ v: UInt32) -> Bool { v &- 65 < 26 }
    @inline(__always) static func isLower(_ v: UInt32) -> Bool { v &- 97 < 26 }
    @inline(__always) static func isASCIILetter(_ v: UInt32) -> Bool { (v | 0x20) &- 97 < 26 }
    @inline(__always) static func isASCIIAlnum(_ v: UInt32) -> Bool { isDigit(v) || isASCIILetter(v) }
    @inline(__always) static func isHex(_ v: UInt32) -> Bool { isDigit(v) || (v | 0x20) &- 97 < 6 }
    @inline(__always) static func hexValue(_ v: UInt32) -> Int {
        isDigit(v) ? Int(v - 48) : Int((v | 0x20) - 87)
    }

    /// A letter or digit in any script (what a word is made of).
    @inline(__always) static func isWordChar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIIAlnum(v) || v == 95 }
        guard let s = Unicode.Scalar(v) else { return false }
        let p = s.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
            || p.generalCategory == .spacingMark
    }

    /// A letter in any script.
    @inline(__always) static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIILetter(v) }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isAlphabetic
    }

    /// An upper-case letter in any script (title case counts).
    @inline(__always) static func isUppercaseLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return isUpper(v) }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isUppercase || s.properties.generalCategory == .titlecaseLetter
    }

    /// Han, Hiragana, Katakana or Hangul: scripts written without spaces between words.
    @inline(__always) static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x3040...0x30FF).contains(v)
            || (0xAC00...0xD7AF).contains(v) || (0x1100...0x11FF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x2A6DF).contains(v)
    }

    /// A word character that joins a neighbouring token into one word: letters and digits of scripts written
    /// with spaces. CJK characters do not: `电话+447417388511` holds a phone number.
    @inline(__always) static func gluesToWord(_ v: UInt32) -> Bool { isWordChar(v) && !isCJK(v) }

    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        v == 32 || v == 9 || v == 10 || v == 13 || v == 0xA0 || v == 0x202F || v == 0x3000
    }

    /// Lower-cases an ASCII letter; other values pass through.
    @inline(__always) static func lowerASCII(_ v: UInt32) -> UInt32 { isUpper(v) ? v | 0x20 : v }
}

/// Holds a text's words once computed (for the last lexicon asked); a class so copies of a `ScalarText` share it.
final class WordCache: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: (lexicon: Lexicon?, words: [Word])?

    func words(of text: ScalarText, lexicon: Lexicon?) -> [Word] {
        lock.lock()
        defer { lock.unlock() }
        if let value, value.lexicon === lexicon { return value.words }
        let computed = NameWords.words(text, lexicon: lexicon)
        value = (lexicon, computed)
        return computed
    }
}
