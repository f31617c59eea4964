/// System-prompt leakage: how much of the configured system prompt reappears in a model answer, measured as
/// the share of the prompt's word n-grams (n = `minWords`) found in the normalized answer.
public struct SystemPromptLeakScanner: Scanner {
    /// Run of consecutive words that counts as copied (6 words rarely repeat by chance).
    public static let defaultMinWords = 6

    /// Registry name.
    public let name = "system_prompt_leak"
    /// A tenth of the prompt's n-grams reproduced is a leak.
    public let defaultThreshold = 0.1
    let promptGrams: Set<[String]>
    let minWords: Int

    /// Watches for `systemPrompt`.
    public init(systemPrompt: String, minWords: Int = defaultMinWords) {
        self.minWords = minWords
        let words = BannedWordsScanner.words(in: TextNormalizer(options: .init(payloads: false)).normalize(systemPrompt).scalars).map(\.text)
        var grams = Set<[String]>()
        if words.count >= minWords {
            for k in 0...(words.count - minWords) { grams.insert(Array(words[k..<(k + minWords)])) }
        }
        promptGrams = grams
    }

    /// Score: share of the prompt's n-grams present in the text; findings: the copied runs.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        guard !promptGrams.isEmpty else { return ScanResult(score: 0) }
        let words = BannedWordsScanner.words(in: input.normalized.scalars)
        guard words.count >= minWords else { return ScanResult(score: 0) }
        var seen = Set<[String]>()
        var findings: [Finding] = []
        for k in 0...(words.count - minWords) {
            let gram = words[k..<(k + minWords)].map(\.text)
            guard promptGrams.contains(gram) else { continue }
            seen.insert(gram)
            let span = input.normalized.originalSpan(words[k].start..<words[k + minWords - 1].end)
            if let last = findings.last, last.end >= span.lowerBound {
                findings[findings.count - 1].end = max(last.end, span.upperBound)
            } else {
                findings.append(Finding(start: span.lowerBound, end: span.upperBound, type: "system_prompt"))
            }
        }
        let score = Double(seen.count) / Double(promptGrams.count)
        return ScanResult(score: score, findings: findings, sanitized: findings.isEmpty ? nil : Redaction.apply(findings, to: input.text))
    }
}
