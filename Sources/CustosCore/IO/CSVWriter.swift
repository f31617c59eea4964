/// Writes RFC 4180 CSV: fields are quoted when they contain the delimiter, a quote, CR or LF
/// (or start/end with a space, or start with U+FEFF), quotes are doubled, records end with `\r\n` or `\n`.
public struct CSVWriter: Sendable {
    /// Field separator.
    public var delimiter: Character = ","
    /// Record terminator; RFC 4180 says CRLF, most tools accept LF.
    public var lineEnding = "\n"
    /// Text written for a missing value.
    public var missing = ""

    /// A writer with default settings (comma, LF).
    public init() {}

    /// One field, quoted if needed.
    public func encode(field: String) -> String {
        // Byte-level checks: Foundation's `contains(_: String)` matches whole composed characters,
        // so it misses a line break followed by a combining mark (found by libFuzzer).
        let separator = delimiter.asciiValue ?? UInt8(ascii: ",")
        let bytes = field.utf8
        let needsQuotes = bytes.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || bytes.first == 0x20 || bytes.last == 0x20
            || field.unicodeScalars.first == "\u{FEFF}"  // else a leading one would read back as a byte-order mark
        guard needsQuotes else { return field }
        var quoted = "\""
        for character in field.unicodeScalars {
            if character == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(character)
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }

    /// One record.
    public func encode(record: [String]) -> String {
        // A lone empty field is written as `""` so the record does not read back as a skipped blank line.
        if record == [""] { return "\"\"" + lineEnding }
        return record.map(encode(field:)).joined(separator: String(delimiter)) + lineEnding
    }

    /// The whole table with a header row.
    public func encode(_ table: Table) -> String {
        var out = encode(record: table.columnNames)
        for row in 0..<table.rowCount {
            out += encode(record: table.columns.map { $0.string(at: row) ?? missing })
        }
        return out
    }
}
