import CustosCore

/// BERT's uncased WordPiece tokenizer, matching Hugging Face `tokenizers` for all-MiniLM-L6-v2 as
/// sentence-transformers runs it: normalize, split on whitespace and punctuation, greedy longest-match
/// WordPiece with `##` continuations, `[CLS] text [SEP]`, truncation at `maxLength` tokens including both.
public struct BertTokenizer: Sendable {
    /// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2; `tokenizer.json`'s own 128 is not what it uses.
    public static let defaultMaxLength = 256
    /// `tokenizers`' WordPiece `max_input_chars_per_word`: longer words become `[UNK]`.
    public static let maxInputCharactersPerWord = 100

    /// The vocabulary.
    public let vocabulary: WordPieceVocabulary
    /// The normalizer.
    public let normalizer: BertNormalizer
    /// Maximum number of tokens including `[CLS]` and `[SEP]`.
    public let maxLength: Int
    /// Id of `[UNK]`.
    public let unknownID: Int32
    /// Id of `[CLS]`.
    public let classID: Int32
    /// Id of `[SEP]`.
    public let separatorID: Int32
    /// Id of `[PAD]`.
    public let padID: Int32

    /// Creates a tokenizer over a vocabulary that has `[UNK]`, `[CLS]`, `[SEP]` and `[PAD]`.
    public init(vocabulary: WordPieceVocabulary, normalizer: BertNormalizer = BertNormalizer(),
                maxLength: Int = BertTokenizer.defaultMaxLength) throws {
        guard maxLength >= 2 else { throw CustosError(.usage, "the maximum length must be at least 2 (for [CLS] and [SEP])") }
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw CustosError(.missingAsset, "the vocabulary has no \(token) token")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.normalizer = normalizer
        self.maxLength = maxLength
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
        padID = try special("[PAD]")
    }

    /// Loads `vocab.txt` from a model directory.
    public init(directory: String, maxLength: Int = BertTokenizer.defaultMaxLength) throws {
        try self.init(vocabulary: WordPieceVocabulary(contentsOf: directory + "/vocab.txt"), maxLength: maxLength)
    }

    /// Tokenizes one text into `[CLS] … [SEP]`, truncated to `maxLength`.
    public func tokenize(_ text: String) -> TokenizedText {
        let pieces = wordPieces(text)
        let room = maxLength - 2
        var ids: [Int32] = [classID]
        ids.reserveCapacity(min(pieces.count, room) + 2)
        ids.append(contentsOf: pieces.prefix(room))
        ids.append(separatorID)
        return TokenizedText(ids: ids, untruncatedCount: pieces.count + 2)
    }

    /// Tokenizes several texts and pads them to a common length with an attention mask.
    public func tokenizeBatch(_ texts: [String]) -> PaddedBatch {
        PaddedBatch(texts.map(tokenize), padID: padID)
    }

    /// The token strings of `ids` (for display).
    public func tokens(_ ids: [Int32]) -> [String] { ids.map { vocabulary.token(for: $0) } }

    /// WordPiece ids of the text without specials or truncation.
    public func wordPieces(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        var word: [Unicode.Scalar] = []
        func flush() {
            if !word.isEmpty { appendWord(word, to: &ids) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in normalizer.normalize(text) {
            if BertNormalizer.isWhitespace(scalar) {
                flush()
            } else if BertNormalizer.isPunctuation(scalar) {
                flush()
                word.append(scalar)
                flush()
            } else {
                word.append(scalar)
            }
        }
        flush()
        return ids
    }

    /// Greedy longest-match-first WordPiece of one word; a word with an unmatched piece is `[UNK]` as a whole.
    private func appendWord(_ word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= Self.maxInputCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = start > 0 ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary.id(of: candidate) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
