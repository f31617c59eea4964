import CustosCore

/// The game of a text scorer over a text's words: `v(S)` is the score of the text with only the words in `S`
/// (the others removed). `v(∅)` is the score of the text with every word removed.
public struct TextMaskingGame: CoalitionGame {
    /// The explained scorer.
    public let scorer: any TextScorer
    /// The text and its words.
    public let segmentation: WordSegmentation

    /// The game of `scorer` on `text`; a text without words is an error.
    public init(scorer: any TextScorer, text: String) throws {
        segmentation = WordSegmentation(text)
        guard !segmentation.words.isEmpty else {
            throw CustosError(.invalidInput, "the text has no words to explain")
        }
        self.scorer = scorer
    }

    /// The number of words.
    public var playerCount: Int { segmentation.words.count }

    /// The scorer's score for each masked text.
    public func values(_ masks: [Bool]) throws -> [Double] {
        let n = playerCount
        let texts = stride(from: 0, to: masks.count, by: n).map { segmentation.keeping(masks[$0..<($0 + n)]) }
        let scores = try scorer.score(texts)
        guard scores.count == texts.count else {
            throw CustosError(.internal, "the scorer '\(scorer.name)' returned \(scores.count) scores for \(texts.count) texts")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw CustosError(.invalidInput, "the scorer '\(scorer.name)' returned \(scores[bad]) for the text \"\(texts[bad].prefix(80))\"")
        }
        return scores
    }
}
