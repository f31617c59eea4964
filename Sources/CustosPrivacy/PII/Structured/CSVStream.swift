import CustosCore

/// RFC 4180 CSV read record by record over a `LineStream`: a quoted field may span lines; memory is bounded by the
/// longest record. Used to analyze and rewrite selected columns of files of any length.
public struct CSVStream {
    var lines: LineStream
    let path: String
    let lossy: Bool
    /// The header's fields.
    public private(set) var header: [String] = []
    /// 1-based line where the last record returned starts.
    public private(set) var recordLine = 0

    /// Opens a CSV file and reads its header; an empty file is an error.
    public init(path: String, lossy: Bool) throws {
        lines = try LineStream(path: path)
        self.path = path
        self.lossy = lossy
        guard let first = try next() else {
            throw CustosError(.invalidInput, "empty CSV (no header)", at: SourceLocation(file: path))
        }
        header = first
    }

    /// The next record's fields, or nil at the end.
    public mutating func next() throws -> [String]? {
        guard var bytes = try lines.next() else { return nil }
        recordLine = lines.lineNumber
        let start = lines.lineStart
        while bytes.reduce(0, { $0 + ($1 == 34 ? 1 : 0) }) % 2 == 1 {
            guard let more = try lines.next() else {
                throw CustosError(.invalidInput, "unterminated quoted field", at: SourceLocation(file: path, line: recordLine))
            }
            bytes.append(10)
            bytes.append(contentsOf: more)
        }
        let text = try TextDecoding.decode(bytes, lossy: lossy, source: path, line: recordLine, base: start)
        return try Self.fields(text, path: path, line: recordLine)
    }

    /// Splits one record (quotes doubled inside quoted fields).
    static func fields(_ record: String, path: String, line: Int) throws -> [String] {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var atFieldStart = true
        var iterator = record.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" { field.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && atFieldStart {
                quoted = true
                atFieldStart = false
            } else if c == "," {
                fields.append(String(field))
                field = String.UnicodeScalarView()
                atFieldStart = true
            } else if c == "\"" {
                throw CustosError(.invalidInput, "a quote inside an unquoted field", at: SourceLocation(file: path, line: line))
            } else {
                field.append(c)
                atFieldStart = false
            }
        }
        fields.append(String(field))
        return fields
    }

    /// One record as RFC 4180 text (fields quoted when they hold a comma, quote or line break).
    public static func encode(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }
}

/// Every string in a JSON document, with the names of the keys above it as context (`$.user.email` → `user`,
/// `email`), rewritten by a transform: how JSON values are analyzed with their field names as context.
public enum JSONStrings {
    /// The document with each string replaced by `transform(string, keys)`; numbers, booleans and null are kept.
    public static func rewrite(_ value: Any, keys: [String] = [], _ transform: (String, [String]) throws -> String) rethrows -> Any {
        switch value {
        case let string as String:
            return try transform(string, keys)
        case let object as [String: Any]:
            var out: [String: Any] = [:]
            for (key, child) in object { out[key] = try rewrite(child, keys: keys + [key], transform) }
            return out
        case let array as [Any]:
            return try array.map { try rewrite($0, keys: keys, transform) }
        default:
            return value
        }
    }
}
