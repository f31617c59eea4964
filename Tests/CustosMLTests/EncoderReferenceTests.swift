import CustosML
import Testing

/// The reference's documented tolerance for a float32 engine (observed error ~3e-7); the 1e-4 is the outer bound.
private let tolerance: Float = 1e-5

private func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
}

@Suite("MiniLM encoder against the float64 reference")
struct EncoderReferenceTests {
    @Test("sentence embeddings are within 1e-5 of sentence-transformers")
    func embeddings() throws {
        try #require(Fixtures.embedder != nil && Fixtures.minilm != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let reference = try #require(Fixtures.minilm)
        let results = try embedder.embed(reference.sentences.map(\.text), options: .init(allowEmpty: true))
        for (result, sentence) in zip(results, reference.sentences) {
            #expect(result.tokenIDs == sentence.ids)
            #expect(result.vector.count == 384 && sentence.embedding.count == 384)
            #expect(maxAbsDifference(result.vector, sentence.embedding) <= tolerance, "\(sentence.text.prefix(60))")
        }
    }

    @Test("every layer's attention probabilities are within 1e-5")
    func attention() throws {
        try #require(Fixtures.embedder != nil && Fixtures.minilm != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let reference = try #require(Fixtures.minilm)
        let result = try embedder.embed(reference.attentionText, options: .init(attention: true))
        #expect(result.tokenIDs == reference.attentionIDs)
        let maps = try #require(result.attention)
        #expect([maps.layers, maps.heads, maps.tokens, maps.tokens] == reference.attentionShape)
        #expect(maps.probabilities.count == reference.attention.count)
        #expect(maxAbsDifference(maps.probabilities, reference.attention) <= tolerance)
    }

    @Test("the last hidden state is within 1e-4 of the reference")
    func lastHiddenState() throws {
        try #require(Fixtures.embedder != nil && Fixtures.minilm != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let reference = try #require(Fixtures.minilm)
        let output = try embedder.encoder.forward(reference.attentionIDs)
        #expect(output.lastHiddenState.count == reference.lastHiddenState.count)
        // Hidden values are O(1) before pooling and normalization (embeddings are ~0.05), so the bound is the 1e-4.
        #expect(maxAbsDifference(output.lastHiddenState, reference.lastHiddenState) <= 1e-4)
    }

    @Test("batch and BLAS parallelism give the same vectors")
    func parallelismAgrees() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let texts = ["A man is playing a guitar.", "The weather is lovely today", "Encoders map text to vectors."]
        let batch = try embedder.embed(texts, options: .init(parallelism: .batch))
        let blas = try embedder.embed(texts, options: .init(parallelism: .blas))
        for (a, b) in zip(batch, blas) { #expect(maxAbsDifference(a.vector, b.vector) <= 1e-6) }
    }

    @Test("similar sentences are closer than unrelated ones")
    func similarity() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let e = try embedder.embed(["A man is playing a guitar.", "Someone is playing an instrument.", "Stocks fell sharply."])
        #expect(e[0].cosineSimilarity(to: e[1]) > e[0].cosineSimilarity(to: e[2]))
    }

    @Test("rollout rows are distributions and the first layer's rollout mixes in the identity")
    func rollout() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let maps = try #require(try embedder.embed("attention rollout test", options: .init(attention: true)).attention)
        let rollout = AttentionRollout.compute(maps)
        #expect(rollout.count == maps.layers)
        for layer in rollout {
            for q in 0..<maps.tokens {
                let row = layer[(q * maps.tokens)..<((q + 1) * maps.tokens)]
                #expect(abs(row.reduce(0, +) - 1) < 1e-4)
            }
        }
    }
}

@Suite("attention page and concurrency")
struct AttentionPageTests {
    @Test("the attention page is self-contained, escapes the text and offers layer and head selectors")
    func page() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let explanation = try AttentionExplanation(text: "Bank </script><b>rates</b> rose", embedder: embedder)
        let html = explanation.renderHTML()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains(" src="))
        #expect(html.contains("id=\"layer\"") && html.contains("id=\"head\"") && html.contains("value=\"rollout\""))
        #expect(!html.contains("<b>rates"))
        // Only the page's own two script elements close.
        #expect(html.components(separatedBy: "</script>").count == 3)
        #expect(explanation.rollout.count == 6)
        #expect(abs(explanation.pooledRelevance.reduce(0, +) - 1) < 1e-4)
    }

    @Test("concurrent embed calls from many threads give the same vectors as one call")
    func concurrentCalls() async throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let texts = (0..<8).map { "sentence number \($0) about concurrency" }
        let expected = try embedder.embed(texts).map(\.vector)
        let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for i in 0..<16 {
                group.addTask {
                    let mode: Embedder.Parallelism = i.isMultiple(of: 2) ? .batch : .blas
                    return (i, try embedder.embed(texts[i % 8], options: .init(parallelism: mode)).vector)
                }
            }
            var out: [(Int, [Float])] = []
            for try await result in group { out.append(result) }
            return out
        }
        for (i, vector) in results {
            let difference = zip(vector, expected[i % 8]).map { abs($0 - $1) }.max() ?? 1
            #expect(difference < 1e-5)
        }
    }
}
