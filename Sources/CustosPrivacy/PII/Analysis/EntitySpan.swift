/// One finding: a half-open range of Unicode-scalar offsets, its entity type, a score in [0, 1], and the
/// recognizer that produced it.
public struct EntitySpan: Sendable, Equatable, Hashable, Codable {
    /// First scalar of the span.
    public var start: Int
    /// One past the last scalar of the span.
    public var end: Int
    /// What the span holds.
    public var type: EntityType
    /// Confidence in [0, 1] after context enhancement.
    public var score: Double
    /// The recognizer's name (e.g. `credit_card`), for explanations and debugging.
    public var recognizer: String

    /// Creates a span.
    public init(start: Int, end: Int, type: EntityType, score: Double, recognizer: String) {
        self.start = start
        self.end = end
        self.type = type
        self.score = score
        self.recognizer = recognizer
    }

    /// The span's range.
    public var range: Range<Int> { start..<end }

    /// Whether two spans share at least one scalar.
    public func overlaps(_ other: EntitySpan) -> Bool { start < other.end && other.start < end }

    /// The scalars' count.
    public var length: Int { end - start }
}
