import CustosCore

/// A WordPiece vocabulary: one token per line of `vocab.txt`, the id being the 0-based line number.
public struct WordPieceVocabulary: Sendable {
    /// Tokens by id.
    public let tokens: [String]
    private let ids: [String: Int32]

    /// Builds a vocabulary from tokens in id order; duplicates keep the first id, as `tokenizers` does.
    public init(tokens: [String]) {
        self.tokens = tokens
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, token) in tokens.enumerated() where ids[token] == nil { ids[token] = Int32(i) }
        self.ids = ids
    }

    /// Reads `vocab.txt`; an empty file or one without `[UNK]`, `[CLS]`, `[SEP]` and `[PAD]` is an error.
    public init(contentsOf path: String) throws {
        let text = try FileInput.readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        self.init(tokens: lines)
        for special in ["[UNK]", "[CLS]", "[SEP]", "[PAD]"] where id(of: special) == nil {
            throw CustosError(.missingAsset, "the vocabulary has no \(special) token", at: SourceLocation(file: path))
        }
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func id(of token: String) -> Int32? { ids[token] }

    /// The token with id `id`, or `[UNK]`-like placeholder text when out of range.
    public func token(for id: Int32) -> String {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : "<\(id)>"
    }
}
