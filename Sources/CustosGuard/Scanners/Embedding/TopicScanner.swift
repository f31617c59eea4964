import CustosML

/// Topic restriction: embeds the text with MiniLM and compares it with the policy's topic descriptions.
/// The score is 1 when the text is closer than `minSimilarity` to a denied topic, or (when allowed topics are
/// given) not that close to any allowed topic; findings carry the best similarity.
public struct TopicScanner: Scanner {
    /// Cosine similarity at which MiniLM sentence pairs are usually about the same subject.
    public static let defaultMinSimilarity = 0.35

    /// Registry name.
    public let name = "topic"
    /// Off-topic is a positive.
    public let defaultThreshold = 0.5
    /// Embeds every text with the sentence encoder.
    public var runsModel: Bool { true }
    let allowed: [[Float]]
    let denied: [[Float]]
    let minSimilarity: Double
    let embedder: Embedder

    /// Embeds the topic descriptions.
    public init(allowed: [String], denied: [String], minSimilarity: Double = defaultMinSimilarity, embedder: Embedder) throws {
        self.allowed = try embedder.embed(allowed).map(\.vector)
        self.denied = try embedder.embed(denied).map(\.vector)
        self.minSimilarity = minSimilarity
        self.embedder = embedder
    }

    /// Scores one text.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        guard !allowed.isEmpty || !denied.isEmpty else { return ScanResult(score: 0) }
        let vector = try embedder.embed(input.normalized.text, options: .init(allowEmpty: true)).vector
        let count = input.text.unicodeScalars.count
        let deniedBest = denied.map { Double(Embedding.cosineSimilarity(vector, $0)) }.max() ?? -1
        if deniedBest >= minSimilarity {
            return ScanResult(score: 1, findings: [Finding(start: 0, end: count, type: "denied_topic", score: deniedBest)])
        }
        if !allowed.isEmpty {
            let allowedBest = allowed.map { Double(Embedding.cosineSimilarity(vector, $0)) }.max() ?? -1
            if allowedBest < minSimilarity {
                return ScanResult(score: 1, findings: [Finding(start: 0, end: count, type: "off_topic", score: allowedBest)])
            }
        }
        return ScanResult(score: 0)
    }
}
