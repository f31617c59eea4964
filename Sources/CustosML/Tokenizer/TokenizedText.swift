/// One text after tokenization: ids with `[CLS]`/`[SEP]`, and whether it was cut to the maximum length.
public struct TokenizedText: Sendable, Equatable, Codable {
    /// Token ids including `[CLS]` first and `[SEP]` last.
    public var ids: [Int32]
    /// Number of tokens the text would have had without truncation (specials included).
    public var untruncatedCount: Int

    /// Creates a tokenized text.
    public init(ids: [Int32], untruncatedCount: Int) {
        self.ids = ids
        self.untruncatedCount = untruncatedCount
    }

    /// Whether tokens were dropped to fit the model's maximum length.
    public var truncated: Bool { untruncatedCount > ids.count }

    enum CodingKeys: String, CodingKey {
        case ids
        case untruncatedCount = "untruncated_count"
    }
}
