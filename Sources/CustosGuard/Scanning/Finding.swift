/// One thing a scanner found: a span of the scanned text (Unicode-scalar offsets, end exclusive) and its type.
public struct Finding: Sendable, Equatable, Codable {
    /// First Unicode scalar of the span in the original text.
    public var start: Int
    /// One past the last Unicode scalar of the span.
    public var end: Int
    /// What was found, e.g. `aws_access_key_id`, `zero_width`, `banned_word`.
    public var type: String
    /// Confidence or model score for this finding, when the scanner has one.
    public var score: Double?

    /// Creates a finding.
    public init(start: Int, end: Int, type: String, score: Double? = nil) {
        self.start = start
        self.end = end
        self.type = type
        self.score = score
    }
}
