/// What one scanner says about one text.
public struct ScanResult: Sendable, Equatable, Codable {
    /// Risk score in [0, 1]; the policy compares it with the scanner's threshold.
    public var score: Double
    /// Spans that justify the score (may be empty for whole-text classifiers).
    public var findings: [Finding]
    /// The text with the findings redacted, when the scanner can sanitize.
    public var sanitized: String?

    /// Creates a result.
    public init(score: Double, findings: [Finding] = [], sanitized: String? = nil) {
        self.score = score
        self.findings = findings
        self.sanitized = sanitized
    }
}
