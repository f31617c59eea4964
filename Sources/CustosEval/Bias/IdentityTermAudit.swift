import CustosCore
import CustosFairness
import Foundation

/// Runs the identity-term audit of any text scorer: fills the templates, scores every sentence, and computes
/// `IdentityTermBias` at the scorer's threshold. Custos' own scanners plug in through `CustosGuard`'s batch scan;
/// a user's classifier through any closure.
public struct IdentityTermAudit: Sendable {
    /// The templates and terms.
    public var templates: IdentityTemplates
    /// The threshold at which a score counts as flagged.
    public var threshold: Double

    /// An audit.
    public init(templates: IdentityTemplates, threshold: Double) {
        self.templates = templates
        self.threshold = threshold
    }

    /// The audit's figures and the scored sentences.
    public struct Outcome: Sendable {
        /// Per-term figures and recommendations.
        public var bias: IdentityTermBias
        /// Each sentence with its score, in `templates.sentences` order.
        public var scored: [(sentence: IdentityTemplates.Sentence, score: Double)]
    }

    /// Scores every filled template with `score` (one call, in order) and computes the figures.
    public func run(score: ([String]) throws -> [Double]) throws -> Outcome {
        let sentences = templates.sentences
        let scores = try score(sentences.map(\.text))
        guard scores.count == sentences.count else {
            throw CustosError(.internal, "the scorer returned \(scores.count) scores for \(sentences.count) sentences")
        }
        let examples = zip(sentences, scores).map { sentence, score in
            IdentityTermBias.Example(identity: sentence.identity, category: sentence.category, toxic: sentence.toxic, score: score)
        }
        return Outcome(bias: try IdentityTermBias(examples: examples, threshold: threshold), scored: Array(zip(sentences, scores)))
    }
}
