import CustosML

/// Jailbreak and prompt-injection detection: the trained head on MiniLM embeddings of the normalized text plus
/// interpretable cue features; decoded payloads get a second look (the highest score wins).
public struct JailbreakScanner: Scanner {
    /// Registry name.
    public let name = "jailbreak"
    /// The head's chosen threshold.
    public var defaultThreshold: Double { head.threshold }
    /// Embeds every text with the sentence encoder.
    public var runsModel: Bool { true }
    let head: JailbreakHead
    let embedder: Embedder

    /// Uses the committed head unless another is given.
    public init(embedder: Embedder, head: JailbreakHead? = nil) throws {
        self.head = try head ?? JailbreakHead.bundled()
        self.embedder = embedder
    }

    /// Scores the text and its decoded payloads.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        try scan(batch: [input])[0]
    }

    /// Scores texts and their decoded payloads with one batched embedding call.
    public func scan(batch inputs: [ScanInput]) throws -> [ScanResult] {
        var texts: [String] = []
        var owner: [Int] = []
        for (k, input) in inputs.enumerated() {
            for text in [input.normalized.text] + input.normalized.payloads.map(\.normalized.text) {
                texts.append(text)
                owner.append(k)
            }
        }
        let embeddings = try embedder.embed(texts, options: .init(allowEmpty: true))
        var best = [Double](repeating: 0, count: inputs.count)
        for (j, embedding) in embeddings.enumerated() {
            best[owner[j]] = max(best[owner[j]], head.model.probability(JailbreakHead.row(embedding: embedding.vector, normalizedText: texts[j])))
        }
        return inputs.enumerated().map { k, input in
            guard best[k] >= head.threshold else { return ScanResult(score: best[k]) }
            let cues = zip(JailbreakFeatures.names, JailbreakFeatures.vector(input.normalized.text)).filter { $0.1 > 0 }.map(\.0)
            let type = cues.isEmpty ? "jailbreak" : "jailbreak: " + cues.joined(separator: ",")
            return ScanResult(score: best[k], findings: [Finding(start: 0, end: input.text.unicodeScalars.count, type: type, score: best[k])])
        }
    }
}

extension JailbreakScanner {
    /// Scores many prompts at once (the embeddings batched over the cores).
    public func scores(_ texts: [String]) throws -> [Double] {
        try scan(batch: texts.map { ScanInput($0) }).map(\.score)
    }
}
