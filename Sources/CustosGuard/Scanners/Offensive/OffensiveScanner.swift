/// Offensive language: the alt-profanity-check model applied to the original text, its normalized form
/// (leetspeak, homoglyphs, zero-width and spacing folded) and any decoded payload; the score is the highest.
///
/// Identity terms are neutral by default: words that name a group (gay, muslim, black, deaf, …; see
/// `neutralIdentityTerms`) are left out of the model's input, because the model learned them as offensive on their
/// own — "I am gay." scored 0.98 and "I am queer." 0.99 (`custos bias classifier --scanner offensive`,
/// docs/bias.md). Abuse is still caught by its other words; an identity term used alone as an insult is not. The
/// option `identity_terms: scored` restores the original model's scores exactly.
public struct OffensiveScanner: Scanner {
    /// How identity terms enter the score.
    public enum IdentityTerms: String, Sendable, CaseIterable {
        /// Left out of the model's input (the default).
        case neutral
        /// Scored as the original model scores them.
        case scored
    }

    /// Identity terms the model gives weight on their own (single words, as its tokenizer splits them). Written for
    /// Custos from the identity categories of the bias audit (gender, sexual orientation, religion, race and
    /// ethnicity, disability, age); only words in the model's vocabulary have an effect.
    public static let neutralIdentityTerms: [String] = [
        "female", "male", "woman", "women", "man", "men", "transgender", "trans", "nonbinary", "cisgender",
        "gay", "gays", "lesbian", "lesbians", "bisexual", "straight", "heterosexual", "homosexual", "homosexuals", "queer", "lgbt",
        "muslim", "muslims", "islam", "christian", "christians", "jewish", "jew", "jews", "hindu", "buddhist", "catholic", "sikh", "atheist",
        "black", "white", "asian", "latino", "latina", "hispanic", "arab", "african", "indigenous", "mexican", "chinese",
        "deaf", "blind", "disabled", "autistic", "paralyzed", "mentally",
        "young", "old", "elderly", "teenage", "aged",
    ]

    /// Mean fold coefficient from which a word is reported as a finding (the model's strongest ~2% of terms).
    public static let findingCoefficient = 1.0

    /// Registry name.
    public let name = "offensive"
    /// `profanity_check.predict`'s cut-off.
    public let defaultThreshold = 0.5
    let model: ProfanityModel
    /// How identity terms are scored.
    public let identityTerms: IdentityTerms
    /// Per vocabulary index: left out of the model's input.
    private let neutralTerms: [Bool]

    /// Uses the bundled model.
    public init(identityTerms: IdentityTerms = .neutral) throws {
        let model = try ProfanityModel.bundled()
        self.model = model
        self.identityTerms = identityTerms
        var neutral = [Bool](repeating: false, count: model.idf.count)
        if identityTerms == .neutral {
            for term in Self.neutralIdentityTerms { if let column = model.vocabulary[term] { neutral[column] = true } }
        }
        neutralTerms = neutral
    }

    /// Scores the original text, the normalized text and decoded payloads; reports strongly offensive words.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        let raw = model.vocabularyTokens(input.text)
        var best = probability(raw)
        var findings = strongTokens(raw, map: { $0 })
        let normalized = input.normalized
        // Unaltered folding is the lowercased original, which the model already saw (it lowercases).
        if normalized.altered {
            let folded = model.vocabularyTokens(normalized.scalars)
            best = max(best, probability(folded))
            findings += strongTokens(folded, map: { normalized.originalSpan($0) })
        }
        for payload in normalized.payloads {
            let tokens = model.vocabularyTokens(payload.normalized.scalars)
            best = max(best, probability(tokens))
            findings += strongTokens(tokens, map: { _ in payload.span })
        }
        let unique = Array(Set(findings.map { [$0.start, $0.end] })).sorted { $0[0] < $1[0] }
            .map { Finding(start: $0[0], end: $0[1], type: "offensive") }
        return ScanResult(score: best, findings: unique,
                          sanitized: unique.isEmpty ? nil : Redaction.apply(unique, to: input.text))
    }

    /// The model's probability of the tokens, identity terms left out unless they are scored.
    private func probability(_ tokens: [(term: Int, start: Int, end: Int)]) -> Double {
        identityTerms == .scored ? model.probability(terms: tokens.map(\.term))
            : model.probability(terms: tokens.compactMap { neutralTerms[$0.term] ? nil : $0.term })
    }

    private func strongTokens(_ tokens: [(term: Int, start: Int, end: Int)], map: (Range<Int>) -> Range<Int>) -> [Finding] {
        tokens.filter { model.meanCoefficient[$0.term] >= Self.findingCoefficient }.map {
            let span = map($0.start..<$0.end)
            return Finding(start: span.lowerBound, end: span.upperBound, type: "offensive")
        }
    }
}
