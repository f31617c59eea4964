/// Length limits: texts longer than the policy allows (in Unicode scalars) are positives.
public struct LengthScanner: Scanner {
    /// Registry name.
    public let name = "length"
    /// Over the limit is a positive.
    public let defaultThreshold = 0.5
    /// Limit when the policy gives none: 32,768 scalars (~8k tokens, a large context window's worth).
    public static let defaultMaxScalars = 32_768
    /// Longest accepted text, in Unicode scalars.
    public let maxScalars: Int

    /// Creates the scanner.
    public init(maxScalars: Int) {
        self.maxScalars = maxScalars
    }

    /// Score 1 with a finding over the excess when the text is too long.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        // A text has at most as many scalars as UTF-8 bytes: most texts are settled without counting.
        guard input.text.utf8.count > maxScalars else { return ScanResult(score: 0) }
        let count = input.text.unicodeScalars.count
        guard count > maxScalars else { return ScanResult(score: 0) }
        let kept = String(String.UnicodeScalarView(input.text.unicodeScalars.prefix(maxScalars)))
        return ScanResult(score: 1, findings: [Finding(start: maxScalars, end: count, type: "too_long")], sanitized: kept)
    }
}
