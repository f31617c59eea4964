import CustosML

/// Jailbreak and prompt-injection detection: the trained head on MiniLM embeddings of the normalized text plus
/// interpretable cue features; decoded payloads get a second look (the highest score wins).
public struct JailbreakScanner: Scanner {
    /// Registry name.
    public let name = "jailbreak"
    /// The head's chosen threshold.
    public var defaultThreshold: Double { head.threshold }
    let head: JailbreakHead
    let embedder: Embedder

    /// Uses the committed head unless another is given.
    public init(embedder: Embedder, head: JailbreakHead? = nil) throws {
        self.head = try head ?? JailbreakHead.bundled()
        self.embedder = embedder
    }

    /// Scores the text and its decoded payloads.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        var texts = [input.normalized.text]
        texts += input.normalized.payloads.map(\.normalized.text)
        let embeddings = try embedder.embed(texts, options: .init(allowEmpty: true))
        let scores = zip(texts, embeddings).map { text, embedding in
            head.model.probability(JailbreakHead.row(embedding: embedding.vector, normalizedText: text))
        }
        let best = scores.max() ?? 0
        let count = input.text.unicodeScalars.count
        var findings: [Finding] = []
        if best >= head.threshold {
            let cues = zip(JailbreakFeatures.names, JailbreakFeatures.vector(texts[0])).filter { $0.1 > 0 }.map(\.0)
            findings.append(Finding(start: 0, end: count, type: cues.isEmpty ? "jailbreak" : "jailbreak: " + cues.joined(separator: ","),
                                    score: best))
        }
        return ScanResult(score: best, findings: findings)
    }
}

extension JailbreakScanner {
    /// Scores many prompts at once, the embeddings batched over the cores (payloads are not decoded here).
    public func scores(_ texts: [String]) throws -> [Double] {
        let normalizer = TextNormalizer()
        let normalized = texts.map { normalizer.normalize($0).text }
        let embeddings = try embedder.embed(normalized, options: .init(allowEmpty: true))
        return zip(normalized, embeddings).map { text, embedding in
            head.model.probability(JailbreakHead.row(embedding: embedding.vector, normalizedText: text))
        }
    }
}
