import Foundation

/// Reads JSON Lines: one JSON object per line; blank lines are skipped.
public enum JSONLReader {
    /// Decodes each non-blank line as `T`; a line that does not decode is an error naming it.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], source: String? = nil) throws -> [T] {
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            let (line, column) = bytes.withUnsafeBufferPointer { UTF8Validation.lineAndColumn(of: bad, in: $0) }
            throw CustosError(.invalidInput, "invalid UTF-8",
                              at: SourceLocation(file: source, line: line, column: "\(column)", byteOffset: bad))
        }
        let decoder = JSONDecoder()
        var out: [T] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                out.append(try decoder.decode(T.self, from: Data(trimmed)))
            } catch let DecodingError.keyNotFound(key, context) {
                throw CustosError(.invalidInput, "missing field '\(key.stringValue)'",
                                  at: SourceLocation(file: source, line: lineNumber, jsonPath: jsonPath(context.codingPath)))
            } catch let DecodingError.typeMismatch(expected, context) {
                throw CustosError(.invalidInput, "expected \(expected) (\(context.debugDescription))",
                                  at: SourceLocation(file: source, line: lineNumber, jsonPath: jsonPath(context.codingPath)))
            } catch let DecodingError.valueNotFound(expected, context) {
                throw CustosError(.invalidInput, "expected \(expected), found null",
                                  at: SourceLocation(file: source, line: lineNumber, jsonPath: jsonPath(context.codingPath)))
            } catch {
                throw CustosError(.invalidInput, "not a valid JSON object",
                                  at: SourceLocation(file: source, line: lineNumber))
            }
        }
        return out
    }

    /// Reads flat JSON objects into a table: the keys of all objects become columns (first-seen
    /// order); numbers, strings, booleans and null are accepted; nested values are an error.
    public static func table(_ bytes: [UInt8], source: String? = nil) throws -> Table {
        let objects = try decode([String: JSONScalar].self, from: bytes, source: source)
        var names: [String] = []
        var seen = Set<String>()
        for object in objects {
            for key in object.keys.sorted() where seen.insert(key).inserted { names.append(key) }
        }
        var raw = [[String]](repeating: [], count: names.count)
        for object in objects {
            for (k, name) in names.enumerated() { raw[k].append(object[name]?.text ?? "") }
        }
        let columns = names.enumerated().map { k, name in Column.infer(name: name, raw: raw[k], missing: [""]) }
        return try Table(columns: columns, source: source)
    }

    static func jsonPath(_ path: [any CodingKey]) -> String {
        "$" + path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    }
}

/// A JSON scalar value in a flat JSONL record.
public enum JSONScalar: Decodable, Sendable, Equatable {
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)
    /// `null`.
    case null

    /// Decodes a scalar; arrays and objects are rejected.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let b = try? container.decode(Bool.self) { self = .bool(b); return }
        if let d = try? container.decode(Double.self) { self = .number(d); return }
        if let s = try? container.decode(String.self) { self = .string(s); return }
        throw DecodingError.typeMismatch(
            JSONScalar.self, .init(codingPath: decoder.codingPath, debugDescription: "nested arrays and objects are not supported"))
    }

    /// The value as cell text ("" for null).
    public var text: String {
        switch self {
        case .number(let d): return Column.format(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        }
    }
}
