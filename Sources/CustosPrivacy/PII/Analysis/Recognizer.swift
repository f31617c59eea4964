/// Finds one or more entity types in text. Recognizers find and validate candidates; they do not decide
/// overlaps, thresholds, allow-lists or context — the `Analyzer` does that for all of them alike.
public protocol Recognizer: Sendable {
    /// A stable name reported with every span (`email`, `credit_card`, …).
    var name: String { get }
    /// The types this recognizer can report.
    var entities: [EntityType] { get }
    /// Words that, near a candidate, raise its score (matched case-insensitively on whole words).
    var contextWords: [String] { get }
    /// Appends the candidates found in `text` with their base scores.
    func recognize(_ text: ScalarText, into spans: inout [EntitySpan])
}

extension Recognizer {
    public var contextWords: [String] { [] }
}
