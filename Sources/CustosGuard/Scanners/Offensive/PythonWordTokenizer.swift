/// scikit-learn's default text analysis, reproduced exactly: Python's `str.lower()` followed by the token
/// pattern `(?u)\b\w\w+\b` (every maximal run of at least two word characters, `\w` as Python's `re` defines it).
struct PythonWordTokenizer: Sendable {
    /// Sorted, disjoint closed ranges of word code points (Python `re`'s `\w`).
    private let wordLower: [UInt32]
    private let wordUpper: [UInt32]
    /// Python's full lowercase mapping for every code point whose lowercase differs (Final_Sigma excluded).
    private let lowercase: [UInt32: [UInt32]]

    /// A token: its (lowercased) text and its span in the input, in Unicode-scalar offsets.
    struct Token {
        var text: String
        var start: Int
        var end: Int
    }

    init(wordRanges: [[UInt32]], lowercase: [UInt32: [UInt32]]) {
        wordLower = wordRanges.map { $0[0] }
        wordUpper = wordRanges.map { $0[1] }
        self.lowercase = lowercase
    }

    /// Whether `value` is a word code point.
    func isWord(_ value: UInt32) -> Bool {
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
                || value == 0x5F
        }
        var low = 0
        var high = wordLower.count
        while low < high {
            let mid = (low + high) / 2
            if wordUpper[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < wordLower.count && wordLower[low] <= value
    }

    /// The tokens of `scalars` (lowercased first, as scikit-learn does), with spans into `scalars`.
    func tokens<S: Collection>(_ scalars: S) -> [Token] where S.Element == Unicode.Scalar {
        let lowered = lower(Array(scalars))
        var out: [Token] = []
        var k = 0
        while k < lowered.count {
            guard isWord(lowered[k].value.value) else { k += 1; continue }
            var end = k
            var view = String.UnicodeScalarView()
            while end < lowered.count, isWord(lowered[end].value.value) {
                view.append(lowered[end].value)
                end += 1
            }
            if end - k >= 2 { out.append(Token(text: String(view), start: lowered[k].source, end: lowered[end - 1].source + 1)) }
            k = end
        }
        return out
    }

    /// ASCII word bytes (`[0-9A-Za-z_]`).
    private static let asciiWordBytes = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")

    /// The same for ASCII text, without token strings: `body` gets each token's lowercased bytes (the text's own
    /// bytes when the token has no capital, a scratch copy otherwise), their `VocabularyTable` hash, and the
    /// token's span.
    func forEachASCIIToken(_ codes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int, Int, Int) -> Void) {
        let words = Self.asciiWordBytes
        @inline(__always) func isWordByte(_ b: UInt8) -> Bool { words.contains(b) }
        var scratch: [UInt8] = []
        var k = 0
        let end = codes.count
        while k < end {
            guard isWordByte(codes[k]) else { k += 1; continue }
            let start = k
            var h = VocabularyTable.hashSeed
            var capitals = false
            while k < end, isWordByte(codes[k]) {
                let v = codes[k]
                let isCapital = v &- 0x41 < 26
                capitals = capitals || isCapital
                h = VocabularyTable.hashStep(h, isCapital ? v | 0x20 : v)
                k += 1
            }
            guard k - start >= 2 else { continue }
            let hash = VocabularyTable.hashFinish(h)
            if !capitals {
                body(UnsafeBufferPointer(rebasing: codes[start..<k]), hash, start, k)
            } else {
                scratch.removeAll(keepingCapacity: true)
                for v in codes[start..<k] { scratch.append(v &- 0x41 < 26 ? v | 0x20 : v) }
                scratch.withUnsafeBufferPointer { body($0, hash, start, k) }
            }
        }
    }

    /// Python's `str.lower()` of `scalars`, each output scalar tagged with the index of its source scalar.
    private func lower(_ scalars: [Unicode.Scalar]) -> [(value: Unicode.Scalar, source: Int)] {
        var out: [(value: Unicode.Scalar, source: Int)] = []
        out.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            let v = s.value
            if v < 0x80 {
                out.append((v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : s, i))
            } else if v == 0x03A3 {
                out.append((isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}", i))
            } else if let mapped = lowercase[v] {
                for m in mapped { out.append((Unicode.Scalar(m) ?? s, i)) }
            } else {
                out.append((s, i))
            }
        }
        return out
    }

    /// Python's Final_Sigma rule: preceded by a cased letter and not followed by one (case-ignorables skipped).
    private func isFinalSigma(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, scalars[j].properties.isCased else { return false }
        var k = i + 1
        while k < scalars.count, scalars[k].properties.isCaseIgnorable { k += 1 }
        return !(k < scalars.count && scalars[k].properties.isCased)
    }
}
