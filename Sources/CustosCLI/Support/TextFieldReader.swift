import CustosCore
import Foundation

/// Reads one text field from every line of a JSONL file (other fields, of any shape, are ignored).
enum TextFieldReader {
    /// Any JSON value; only strings are kept.
    private enum Loose: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) } else { self = .other }
        }
    }

    /// The `field` of each line; a line without it (or with a non-text value) is an error naming the line.
    static func read(_ path: String, field: String) throws -> [String] {
        let bytes = try FileInput.readBytes(path)
        let objects = try JSONLReader.decode([String: Loose].self, from: bytes, source: path)
        return try objects.enumerated().map { k, object in
            guard case .text(let text)? = object[field] else {
                throw CustosError(.invalidInput, "line has no text field '\(field)'", at: SourceLocation(file: path, row: k + 1, column: field))
            }
            return text
        }
    }
}
