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
        return try fields(of: text)
    }

    /// Splits one record with the project's RFC 4180 reader (`CSVReader`), its error lines moved to the file's.
    func fields(of record: String) throws -> [String] {
        var options = CSVOptions()
        options.hasHeader = false
        do {
            return try CSVReader.records(Array(record.utf8), options: options).first?.fields ?? [""]
        } catch let error as CustosError {
            var moved = error
            var location = error.location ?? SourceLocation()
            location.file = path
            location.line = recordLine + (location.line ?? 1) - 1
            moved.location = location
            throw moved
        }
    }

    /// One record as RFC 4180 text, without its line end (`CSVWriter`'s quoting).
    public static func encode(_ fields: [String]) -> String {
        var writer = CSVWriter()
        writer.lineEnding = ""
        return writer.encode(record: fields)
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
