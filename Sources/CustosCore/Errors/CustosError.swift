import Foundation

/// Where a problem was found: a file with line/row/column, a JSON path, or a byte offset.
public struct SourceLocation: Sendable, Equatable, Codable {
    /// The file (path as the user gave it), when the input came from a file.
    public var file: String?
    /// 1-based physical line in the file.
    public var line: Int?
    /// 1-based data row (header excluded).
    public var row: Int?
    /// The column by name (or 1-based number when unnamed).
    public var column: String?
    /// 0-based byte offset into the input.
    public var byteOffset: Int?
    /// A JSON path such as `$.messages[2].content`.
    public var jsonPath: String?

    /// Creates a location; every part is optional.
    public init(
        file: String? = nil, line: Int? = nil, row: Int? = nil, column: String? = nil,
        byteOffset: Int? = nil, jsonPath: String? = nil
    ) {
        self.file = file
        self.line = line
        self.row = row
        self.column = column
        self.byteOffset = byteOffset
        self.jsonPath = jsonPath
    }

    /// The location with `file` filled in when it was not known yet.
    public func inFile(_ name: String) -> SourceLocation {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }

    /// Human-readable prefix such as `preds.csv:12: row 11, column 'score'`.
    public var summary: String {
        var head = file ?? ""
        if let line { head += head.isEmpty ? "line \(line)" : ":\(line)" }
        var parts: [String] = []
        if !head.isEmpty { parts.append(head) }
        if let row { parts.append("row \(row)") }
        if let column { parts.append("column '\(column)'") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        if let jsonPath { parts.append(jsonPath) }
        return parts.joined(separator: ", ")
    }
}

/// The one error shape of Custos: a code, a message, and where it happened.
public struct CustosError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// What kind of failure this is; decides the CLI exit code and the HTTP status.
    public enum Code: String, Sendable, Codable {
        /// The command line or API was used wrongly.
        case usage
        /// The input (a file, a value, a request body) is malformed or unsuitable.
        case invalidInput = "invalid_input"
        /// A required asset is missing or corrupt; the setup command fixes it.
        case missingAsset = "missing_asset"
        /// Reading or writing a file failed.
        case io
        /// A network peer (package index, upstream model) failed.
        case upstream
        /// A bug or an impossible state inside Custos.
        case `internal`
    }

    /// What kind of failure.
    public var code: Code
    /// One sentence saying what is wrong and, where possible, how to fix it.
    public var message: String
    /// Where it happened, when known.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// The same error with the file name attached to its location.
    public func inFile(_ name: String) -> CustosError {
        var copy = self
        copy.location = (location ?? SourceLocation()).inFile(name)
        return copy
    }

    /// CLI exit code: 2 for usage and input problems, 3 for internal and upstream failures.
    public var exitCode: Int32 {
        switch code {
        case .usage, .invalidInput, .missingAsset, .io: return 2
        case .upstream, .internal: return 3
        }
    }

    /// `file:line: row r, column 'c': message`.
    public var description: String {
        if let location, !location.summary.isEmpty { return "\(location.summary): \(message)" }
        return message
    }

    /// Foundation's view of the message.
    public var errorDescription: String? { description }
}
