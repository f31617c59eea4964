/// Folds the tricks used to slip text past filters, keeping a map back to the original text.
///
/// Steps, per original Unicode scalar: drop invisible characters (reported in `NormalizedText.removed`); NFKC
/// (ICU); UTS #39 confusable skeleton for non-ASCII scalars (Cyrillic 'а' → 'a'); drop combining marks (accents);
/// lowercase. Then over the whole text: leetspeak folding inside tokens that contain a letter, joining of spelled
/// out letters ("f u c k"), and decoding of base64 and rot13 payloads for a second look.
public struct TextNormalizer: Sendable {
    /// Which folds to apply.
    public struct Options: Sendable, Equatable {
        /// Map confusable characters to their skeleton.
        public var homoglyphs: Bool
        /// Replace digits and symbols used as letters.
        public var leetspeak: Bool
        /// Join letters spelled out with separators.
        public var spacing: Bool
        /// Decode base64 and rot13 payloads.
        public var payloads: Bool

        /// All folds on.
        public init(homoglyphs: Bool = true, leetspeak: Bool = true, spacing: Bool = true, payloads: Bool = true) {
            self.homoglyphs = homoglyphs
            self.leetspeak = leetspeak
            self.spacing = spacing
            self.payloads = payloads
        }
    }

    /// The folds this normalizer applies.
    public var options: Options

    /// Creates a normalizer.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Normalizes `text`.
    public func normalize(_ text: String) -> NormalizedText {
        var scalars: [Unicode.Scalar] = []
        var originStart: [Int32] = []
        var originEnd: [Int32] = []
        var removed: [Finding] = []
        let folding = UnicodeFolding.shared
        var index: Int32 = 0
        var altered = false
        // ASCII text (most prompts) is lowercased straight from its bytes; each scalar is its own origin.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            scalars = bytes.map { Unicode.Scalar($0 &- 0x41 < 26 ? $0 | 0x20 : $0) }
            originStart = (0..<Int32(bytes.count)).map { $0 }
            originEnd = (1..<Int32(bytes.count + 1)).map { $0 }
            return true
        } ?? false
        if !ascii {
            scalars.reserveCapacity(text.utf8.count)
            originStart.reserveCapacity(text.utf8.count)
            originEnd.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                defer { index += 1 }
                if scalar.isASCII {
                    let v = scalar.value
                    scalars.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : scalar)
                    originStart.append(index)
                    originEnd.append(index + 1)
                    continue
                }
                altered = true
                if let kind = InvisibleCharacters.kind(of: scalar) {
                    if let last = removed.last, last.type == kind, last.end == Int(index) {
                        removed[removed.count - 1].end += 1
                    } else {
                        removed.append(Finding(start: Int(index), end: Int(index) + 1, type: kind))
                    }
                    continue
                }
                for compatible in folding.nfkc(scalar).unicodeScalars {
                    for folded in fold(compatible, folding).unicodeScalars {
                        if folded.properties.generalCategory == .nonspacingMark, !scalars.isEmpty {
                            // An accent: dropped, its source attributed to the letter it decorates.
                            originEnd[originEnd.count - 1] = index + 1
                            continue
                        }
                        scalars.append(folded)
                        originStart.append(index)
                        originEnd.append(index + 1)
                    }
                }
            }
        }
        // Spelled-out letters first: a run may contain leetspeak ("s h 1 t") and splits words the leetspeak
        // fold must see whole ("a$$h o l e").
        if options.spacing, SpacedLetters.fold(&scalars, &originStart, &originEnd) { altered = true }
        if options.leetspeak, Leetspeak.fold(&scalars) { altered = true }
        let payloads = options.payloads ? decodePayloads(text) : []
        return NormalizedText(scalars: scalars, originStart: originStart, originEnd: originEnd, removed: removed,
                              payloads: payloads, altered: altered)
    }

    /// Lowercase and homoglyph folding of one non-ASCII scalar (after NFKC).
    private func fold(_ scalar: Unicode.Scalar, _ folding: UnicodeFolding) -> String {
        let lowered = scalar.properties.lowercaseMapping
        // Letters whose lowercase is ASCII (with accents) are themselves: 'İ' → "i̇".
        if !options.homoglyphs || lowered.unicodeScalars.allSatisfy({ $0.isASCII || $0.properties.generalCategory == .nonspacingMark }) {
            return lowered
        }
        // The skeleton of the scalar as written: Cyrillic 'Т' → 'T' (its lowercase 'т' has no Latin look-alike).
        // Skeletons map every I-like capital to 'l'; a capital stands for 'i'.
        let skeleton = folding.skeleton(scalar)
        if skeleton == "l", scalar.properties.isUppercase { return "i" }
        return skeleton.lowercased()
    }

    private func decodePayloads(_ text: String) -> [DecodedPayload] {
        var inner = self
        inner.options.payloads = false
        var out: [DecodedPayload] = []
        for (span, decoded) in PayloadDecoder.base64Segments(in: text) {
            out.append(DecodedPayload(encoding: "base64", span: span, normalized: inner.normalize(decoded)))
        }
        if let decoded = PayloadDecoder.rot13IfPlausible(text) {
            let count = text.unicodeScalars.count
            out.append(DecodedPayload(encoding: "rot13", span: 0..<count, normalized: inner.normalize(decoded)))
        }
        return out
    }
}
