/// Several tokenized texts padded to a common length, with an attention mask (1 = real token, 0 = padding).
public struct PaddedBatch: Sendable, Equatable {
    /// Row-major `[count][length]` token ids; padding uses the `[PAD]` id.
    public var ids: [Int32]
    /// Row-major `[count][length]` mask.
    public var attentionMask: [Int32]
    /// Number of texts.
    public var count: Int
    /// Length of every row (the longest text's length).
    public var length: Int

    /// Pads `texts` with `padID` to the longest one.
    public init(_ texts: [TokenizedText], padID: Int32) {
        count = texts.count
        length = texts.map(\.ids.count).max() ?? 0
        ids = [Int32](repeating: padID, count: count * length)
        attentionMask = [Int32](repeating: 0, count: count * length)
        for (row, text) in texts.enumerated() {
            for (column, id) in text.ids.enumerated() {
                ids[row * length + column] = id
                attentionMask[row * length + column] = 1
            }
        }
    }
}
