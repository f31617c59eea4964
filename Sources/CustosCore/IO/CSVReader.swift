import Foundation

/// Options for reading delimited text.
public struct CSVOptions: Sendable, Equatable {
    /// Field separator (one ASCII byte): `,` by default, `;` or tab are common.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Whether the first record names the columns.
    public var hasHeader = true
    /// Cell texts (after trimming spaces) that mean "missing".
    public var missingValues: Set<String> = ["", "NA", "N/A", "NaN", "null", "?"]
    /// Largest accepted input, in bytes (a clear error beyond it instead of exhausting memory).
    public var maxBytes = 2 << 30
    /// Whether to infer int/double/bool column types (otherwise every column is text).
    public var inferTypes = true

    /// Default options: comma, header row, common missing markers.
    public init() {}

    /// Options with another delimiter.
    public init(delimiter: Character) {
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
    }
}

/// One parsed record: its fields and the 1-based physical line where it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The field texts, unquoted.
    public var fields: [String]
    /// The line on which the record starts.
    public var line: Int
}

/// An RFC 4180 reader: quoted fields with doubled quotes and embedded delimiters and line breaks,
/// CRLF or LF line ends, an optional UTF-8 byte-order mark, strict UTF-8. Empty lines are skipped.
///
/// A malformed record is an error naming its line and column; nothing is guessed.
public enum CSVReader {
    /// Parses every record of `bytes`. Blank lines (outside quotes) are skipped.
    public static func records(_ bytes: [UInt8], options: CSVOptions = CSVOptions()) throws -> [CSVRecord] {
        try bytes.withUnsafeBufferPointer { try records(buffer: $0, options: options) }
    }

    /// Parses every record of a buffer; see `records(_:options:)`.
    public static func records(buffer all: UnsafeBufferPointer<UInt8>, options: CSVOptions) throws -> [CSVRecord] {
        guard all.count <= options.maxBytes else {
            throw CustosError(.invalidInput, "input is \(all.count) bytes, over the limit of \(options.maxBytes)")
        }
        if let bad = UTF8Validation.firstInvalidOffset(all) {
            let (line, column) = UTF8Validation.lineAndColumn(of: bad, in: all)
            throw CustosError(
                .invalidInput, "invalid UTF-8 (byte 0x\(String(all[bad], radix: 16, uppercase: true)))",
                at: SourceLocation(line: line, column: "\(column)", byteOffset: bad))
        }
        var start = 0
        if all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF { start = 3 }
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let delimiter = options.delimiter
        guard delimiter != quote, delimiter != cr, delimiter != lf else {
            throw CustosError(.usage, "the delimiter cannot be a quote or a line break")
        }

        var result: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = start
        let n = all.count
        var atRecordStart = true
        var quotedInRecord = false

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() {
            finishField()
            // An empty line is skipped; a line holding only `""` is a record with one empty field.
            if !(fields.count == 1 && fields[0].isEmpty && !quotedInRecord) {
                result.append(CSVRecord(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
            quotedInRecord = false
        }
        func lineEnd(at j: Int) -> Int? {
            if all[j] == lf { return 1 }
            if all[j] == cr { return (j + 1 < n && all[j + 1] == lf) ? 2 : 1 }
            return nil
        }

        while i < n {
            if atRecordStart { recordLine = line; atRecordStart = false }
            let byte = all[i]
            if byte == quote && field.isEmpty {
                // Quoted field: runs to the closing quote; "" is a literal quote.
                let openLine = line
                let openColumn = fields.count + 1
                quotedInRecord = true
                i += 1
                var closed = false
                while i < n {
                    let c = all[i]
                    if c == quote {
                        if i + 1 < n && all[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if c == lf { line += 1 }
                    if c == cr && !(i + 1 < n && all[i + 1] == lf) { line += 1 }
                    field.append(c)
                    i += 1
                }
                guard closed else {
                    throw CustosError(
                        .invalidInput, "unterminated quoted field (opened here, never closed)",
                        at: SourceLocation(line: openLine, column: "\(openColumn)"))
                }
                // After a closing quote only a delimiter, a line end or the end may follow.
                if i < n {
                    if all[i] == delimiter {
                        finishField()
                        i += 1
                        if i == n { finishRecord() }
                        continue
                    }
                    if let width = lineEnd(at: i) {
                        finishRecord()
                        i += width
                        line += 1
                        atRecordStart = true
                        continue
                    }
                    throw CustosError(
                        .invalidInput, "unexpected character after closing quote",
                        at: SourceLocation(line: line, column: "\(fields.count + 1)"))
                }
                finishRecord()
                continue
            }
            if byte == delimiter {
                finishField()
                i += 1
                if i == n { finishRecord() }
                continue
            }
            if let width = lineEnd(at: i) {
                finishRecord()
                i += width
                line += 1
                atRecordStart = true
                continue
            }
            if byte == quote {
                throw CustosError(
                    .invalidInput, "quote inside an unquoted field (quote the whole field and double the quote)",
                    at: SourceLocation(line: line, column: "\(fields.count + 1)"))
            }
            field.append(byte)
            i += 1
            if i == n { finishRecord() }
        }
        return result
    }

    /// Reads a table: a header record names the columns (duplicates get `.1`, `.2` suffixes as
    /// pandas does), every later record must have the same number of fields.
    public static func table(_ bytes: [UInt8], options: CSVOptions = CSVOptions(), source: String? = nil) throws -> Table {
        let located = { (error: CustosError) in source.map { error.inFile($0) } ?? error }
        let records: [CSVRecord]
        do {
            records = try CSVReader.records(bytes, options: options)
        } catch let error as CustosError {
            throw located(error)
        }
        guard let first = records.first else {
            throw located(CustosError(.invalidInput, "the file is empty (no header and no rows)"))
        }
        let header: [String]
        let body: ArraySlice<CSVRecord>
        if options.hasHeader {
            header = uniqueNames(first.fields.map { $0.trimmingCharacters(in: .whitespaces) })
            body = records.dropFirst()
        } else {
            header = (1...first.fields.count).map { "column\($0)" }
            body = records[...]
        }
        if let blank = header.firstIndex(of: "") , options.hasHeader {
            throw located(CustosError(
                .invalidInput, "header field \(blank + 1) is empty: every column needs a name",
                at: SourceLocation(line: first.line, column: "\(blank + 1)")))
        }
        var raw = [[String]](repeating: [], count: header.count)
        for k in raw.indices { raw[k].reserveCapacity(body.count) }
        var lines: [Int] = []
        lines.reserveCapacity(body.count)
        for record in body {
            guard record.fields.count == header.count else {
                throw located(CustosError(
                    .invalidInput,
                    "row has \(record.fields.count) fields but the header has \(header.count)",
                    at: SourceLocation(line: record.line, row: lines.count + 1)))
            }
            for (k, value) in record.fields.enumerated() { raw[k].append(value) }
            lines.append(record.line)
        }
        let columns = header.enumerated().map { k, name in
            options.inferTypes
                ? Column.infer(name: name, raw: raw[k], missing: options.missingValues)
                : Column(name: name, values: .string(raw[k].map { options.missingValues.contains($0) ? nil : $0 }))
        }
        return try Table(columns: columns, sourceLines: lines, source: source)
    }

    /// Reads a CSV file into a table; errors name the file.
    public static func table(contentsOf path: String, options: CSVOptions = CSVOptions()) throws -> Table {
        let bytes = try FileInput.readBytes(path, limit: options.maxBytes)
        return try table(bytes, options: options, source: path)
    }

    /// Makes header names unique the way pandas does: the second `x` becomes `x.1`.
    static func uniqueNames(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        var taken = Set(names)
        return names.map { name in
            guard let count = seen[name] else { seen[name] = 0; return name }
            var k = count + 1
            while taken.contains("\(name).\(k)") { k += 1 }
            seen[name] = k
            taken.insert("\(name).\(k)")
            return "\(name).\(k)"
        }
    }
}
