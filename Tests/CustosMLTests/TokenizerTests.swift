import Foundation
import CustosML
import Testing

@Suite("BERT WordPiece tokenizer")
struct TokenizerTests {
    @Test("token ids equal Hugging Face tokenizers on the MiniLM reference sentences")
    func referenceIDs() throws {
        try #require(Fixtures.embedder != nil && Fixtures.minilm != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let tokenizer = try #require(Fixtures.embedder).tokenizer
        for sentence in try #require(Fixtures.minilm).sentences {
            let tokenized = tokenizer.tokenize(sentence.text)
            #expect(tokenized.ids == sentence.ids, "\(sentence.text.prefix(60))")
            #expect(tokenizer.tokens(tokenized.ids) == sentence.tokens)
        }
    }

    private func tokens(_ text: String) throws -> [String] {
        let tokenizer = try #require(Fixtures.embedder).tokenizer
        return tokenizer.tokens(tokenizer.tokenize(text).ids)
    }

    @Test("accents are stripped, control and invisible characters dropped, emoji become [UNK]")
    func normalizationTraps() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        #expect(try tokens("Crème BRÛLÉE") == ["[CLS]", "cr", "##eme", "br", "##ule", "##e", "[SEP]"])
        #expect(try tokens("soft\u{00AD}ware") == ["[CLS]", "software", "[SEP]"])
        #expect(try tokens("zero\u{200B}width") == tokens("zerowidth"))
        #expect(try tokens("hi 😀") == ["[CLS]", "hi", "[UNK]", "[SEP]"])
        #expect(try tokens("a\u{0000}b\tc") == ["[CLS]", "ab", "c", "[SEP]"])
    }

    @Test("CJK ideographs are split and ASCII symbols are punctuation")
    func splitting() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        #expect(try tokens("我我") == ["[CLS]", "我", "我", "[SEP]"])
        #expect(try tokens("a$b") == ["[CLS]", "a", "$", "b", "[SEP]"])
    }

    @Test("over-long text is truncated to 256 tokens including [CLS] and [SEP] and says so")
    func truncation() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let tokenizer = try #require(Fixtures.embedder).tokenizer
        let tokenized = tokenizer.tokenize(String(repeating: "word ", count: 1000))
        #expect(tokenized.ids.count == 256)
        #expect(tokenized.ids.first == tokenizer.classID && tokenized.ids.last == tokenizer.separatorID)
        #expect(tokenized.untruncatedCount == 1002)
        #expect(tokenized.truncated)
    }

    @Test("a batch is padded with [PAD] and masked")
    func padding() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let tokenizer = try #require(Fixtures.embedder).tokenizer
        let batch = tokenizer.tokenizeBatch(["a b c", "a"])
        #expect(batch.length == 5)
        #expect(batch.attentionMask == [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        #expect(batch.ids[8] == tokenizer.padID)
    }

    @Test("a word over 100 characters is one [UNK]")
    func longWord() throws {
        let tokenizer = try BertTokenizer(vocabulary: WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "##a"]))
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)).ids.count == 102)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)).ids == [2, 1, 3])
        #expect(tokenizer.tokenize("ab").ids == [2, 1, 3])
    }
}

@Suite("tokenizer against Hugging Face tokenizers on tricky text")
struct TokenizerDifferentialTests {
    @Test("ids equal tokenizers 0.23 on scripts, accents, invisible, private-use, unassigned and emoji characters")
    func trickyTexts() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let tokenizer = try #require(Fixtures.embedder).tokenizer
        let lines = try String(contentsOf: Fixtures.root.appendingPathComponent("explain/tokenizer_hf.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count >= 20)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let text = try #require(object["text"] as? String)
            let ids = try #require(object["ids"] as? [Int]).map(Int32.init)
            #expect(tokenizer.tokenize(text).ids == ids, "\(text.prefix(50).debugDescription)")
        }
    }
}
