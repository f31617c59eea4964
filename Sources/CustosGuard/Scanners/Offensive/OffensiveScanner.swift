/// Offensive language: the alt-profanity-check model applied to the original text, its normalized form
/// (leetspeak, homoglyphs, zero-width and spacing folded) and any decoded payload; the score is the highest.
public struct OffensiveScanner: Scanner {
    /// Mean fold coefficient from which a word is reported as a finding (the model's strongest ~2% of terms).
    public static let findingCoefficient = 1.0

    /// Registry name.
    public let name = "offensive"
    /// `profanity_check.predict`'s cut-off.
    public let defaultThreshold = 0.5
    let model: ProfanityModel

    /// Uses the bundled model.
    public init() throws {
        model = try ProfanityModel.bundled()
    }

    /// Scores the original text, the normalized text and decoded payloads; reports strongly offensive words.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        let raw = model.vocabularyTokens(input.text)
        var best = model.probability(terms: raw.map(\.term))
        var findings = strongTokens(raw, map: { $0 })
        let normalized = input.normalized
        // Unaltered folding is the lowercased original, which the model already saw (it lowercases).
        if normalized.altered {
            let folded = model.vocabularyTokens(normalized.scalars)
            best = max(best, model.probability(terms: folded.map(\.term)))
            findings += strongTokens(folded, map: { normalized.originalSpan($0) })
        }
        for payload in normalized.payloads {
            let tokens = model.vocabularyTokens(payload.normalized.scalars)
            best = max(best, model.probability(terms: tokens.map(\.term)))
            findings += strongTokens(tokens, map: { _ in payload.span })
        }
        let unique = Array(Set(findings.map { [$0.start, $0.end] })).sorted { $0[0] < $1[0] }
            .map { Finding(start: $0[0], end: $0[1], type: "offensive") }
        return ScanResult(score: best, findings: unique,
                          sanitized: unique.isEmpty ? nil : Redaction.apply(unique, to: input.text))
    }

    private func strongTokens(_ tokens: [(term: Int, start: Int, end: Int)], map: (Range<Int>) -> Range<Int>) -> [Finding] {
        tokens.filter { model.meanCoefficient[$0.term] >= Self.findingCoefficient }.map {
            let span = map($0.start..<$0.end)
            return Finding(start: span.lowerBound, end: span.upperBound, type: "offensive")
        }
    }
}
