import CustosCore

/// One line of an evaluation set: `{"text": ..., "label": 0 or 1}` (other fields are ignored).
public struct LabeledText: Sendable, Codable, Equatable {
    /// The text.
    public var text: String
    /// 1 for a positive (should be flagged), 0 otherwise.
    public var label: Int

    /// Creates a labelled text.
    public init(text: String, label: Int) {
        self.text = text
        self.label = label
    }

    /// Reads an evaluation set; labels other than 0 and 1 are an error naming the line.
    public static func read(_ path: String) throws -> [LabeledText] {
        let rows = try JSONLReader.decode(LabeledText.self, from: FileInput.readBytes(path), source: path)
        if let bad = rows.firstIndex(where: { $0.label != 0 && $0.label != 1 }) {
            throw CustosError(.invalidInput, "label must be 0 or 1, got \(rows[bad].label)", at: SourceLocation(file: path, row: bad + 1))
        }
        return rows
    }
}
