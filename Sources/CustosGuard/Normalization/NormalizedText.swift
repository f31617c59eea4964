/// A text after evasion folding, with every output scalar traced back to the original scalars it came from.
public struct NormalizedText: Sendable {
    /// The folded text as Unicode scalars.
    public let scalars: [Unicode.Scalar]
    /// For each output scalar, the first original scalar it came from.
    let originStart: [Int32]
    /// For each output scalar, one past the last original scalar it came from.
    let originEnd: [Int32]
    /// Invisible characters (zero-width, Unicode tags, bidi controls) that were removed, in original offsets.
    public let removed: [Finding]
    /// Encoded payloads (base64, rot13) decoded for a second look.
    public let payloads: [DecodedPayload]
    /// Whether folding did more than lowercase ASCII (when false, `scalars` is the lowercased original and
    /// scanners that already look at the original may skip it).
    public let altered: Bool

    init(scalars: [Unicode.Scalar], originStart: [Int32], originEnd: [Int32], removed: [Finding], payloads: [DecodedPayload],
         altered: Bool) {
        self.altered = altered
        self.scalars = scalars
        self.originStart = originStart
        self.originEnd = originEnd
        self.removed = removed
        self.payloads = payloads
    }

    /// The folded text as a string.
    public var text: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The span of the original text that produced the folded scalars `range` (both in Unicode-scalar offsets).
    public func originalSpan(_ range: Range<Int>) -> Range<Int> {
        guard !scalars.isEmpty else { return 0..<0 }
        let lower = min(max(range.lowerBound, 0), scalars.count - 1)
        let upper = min(max(range.upperBound, lower + 1), scalars.count)
        return Int(originStart[lower])..<Int(originEnd[upper - 1])
    }

    /// `finding` (in folded offsets) moved to original offsets.
    public func mapToOriginal(_ finding: Finding) -> Finding {
        let span = originalSpan(finding.start..<finding.end)
        return Finding(start: span.lowerBound, end: span.upperBound, type: finding.type, score: finding.score)
    }
}

/// An encoded segment of the original text, decoded and normalized for a second look.
public struct DecodedPayload: Sendable {
    /// How it was encoded: `base64` or `rot13`.
    public let encoding: String
    /// The span of the encoded segment in the original text (Unicode-scalar offsets).
    public let span: Range<Int>
    /// The decoded text, normalized (without decoding again).
    public let normalized: NormalizedText
}
