/// A text split into words (the players of a text explanation) and the text between them.
///
/// A word is a maximal run of letters, digits, combining marks and underscores — what the regular expression
/// `\w+` matches, the split LIME's text explainer uses. Offsets count Unicode scalars, as guard findings do.
public struct WordSegmentation: Sendable, Equatable {
    /// One word and where it is.
    public struct Word: Sendable, Equatable, Codable {
        /// The word as written.
        public var text: String
        /// Unicode-scalar offset of its first scalar.
        public var start: Int
        /// Unicode-scalar offset just past its last scalar.
        public var end: Int
    }

    /// The segmented text.
    public let text: String
    /// The words, in order.
    public let words: [Word]
    /// Text before each word, and after the last (`words.count + 1` pieces).
    let gaps: [String]

    /// Splits `text`.
    public init(_ text: String) {
        self.text = text
        var words: [Word] = []
        var gaps: [String] = []
        var gap = String.UnicodeScalarView()
        var word = String.UnicodeScalarView()
        var start = 0
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if Self.isWordScalar(scalar) {
                if word.isEmpty { start = offset }
                word.append(scalar)
            } else {
                if !word.isEmpty {
                    words.append(Word(text: String(word), start: start, end: offset))
                    gaps.append(String(gap))
                    gap = String.UnicodeScalarView()
                    word = String.UnicodeScalarView()
                }
                gap.append(scalar)
            }
        }
        if !word.isEmpty {
            words.append(Word(text: String(word), start: start, end: text.unicodeScalars.count))
            gaps.append(String(gap))
            gap = String.UnicodeScalarView()
        }
        gaps.append(String(gap))
        self.words = words
        self.gaps = gaps
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || scalar == "_"
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }

    /// The text with only the words whose flag is true (the others removed; the text around them kept).
    public func keeping(_ flags: ArraySlice<Bool>) -> String {
        var out = ""
        for (k, word) in words.enumerated() {
            out += gaps[k]
            if flags[flags.startIndex + k] { out += word.text }
        }
        return out + gaps[words.count]
    }
}
