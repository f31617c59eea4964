import Foundation

/// A rectangular data set of named, typed columns with missing values.
///
/// Rows remember the physical line they came from so later errors can name it.
public struct Table: Sendable, Equatable {
    /// The columns, in order.
    public private(set) var columns: [Column]
    /// Number of rows.
    public let rowCount: Int
    /// For each row, the 1-based line of the source file where it starts (when read from a file).
    public private(set) var sourceLines: [Int]?
    /// Where the table came from (a path, or a dataset name), for error messages.
    public var source: String?

    /// Creates a table; all columns must have the same length and distinct names.
    public init(columns: [Column], sourceLines: [Int]? = nil, source: String? = nil) throws {
        let count = columns.first?.count ?? 0
        var names = Set<String>()
        for column in columns {
            guard column.count == count else {
                throw CustosError(
                    .invalidInput,
                    "column '\(column.name)' has \(column.count) values but the table has \(count) rows")
            }
            guard names.insert(column.name).inserted else {
                throw CustosError(.invalidInput, "duplicate column name '\(column.name)'")
            }
        }
        if let sourceLines, sourceLines.count != count {
            throw CustosError(.internal, "source line map has \(sourceLines.count) entries for \(count) rows")
        }
        self.columns = columns
        self.rowCount = count
        self.sourceLines = sourceLines
        self.source = source
    }

    /// Column names in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column called `name`, or an error listing the columns that exist.
    public func column(named name: String) throws -> Column {
        if let column = columns.first(where: { $0.name == name }) { return column }
        let known = columnNames.prefix(30).map { "'\($0)'" }.joined(separator: ", ")
        throw CustosError(
            .invalidInput, "no column named '\(name)' (columns: \(known)\(columns.count > 30 ? ", …" : ""))",
            at: source.map { SourceLocation(file: $0) })
    }

    /// Whether a column called `name` exists.
    public func hasColumn(_ name: String) -> Bool { columns.contains { $0.name == name } }

    /// The location of a row (0-based index) and column, for error messages.
    public func location(row index: Int, column: String? = nil) -> SourceLocation {
        SourceLocation(file: source, line: sourceLines?[index], row: index + 1, column: column)
    }

    /// Rewrites an error raised by a column of this table so it names the file and line.
    public func locate(_ error: CustosError) -> CustosError {
        guard var location = error.location else { return error.inFile(source ?? "") }
        if let row = location.row, location.line == nil, let lines = sourceLines, row - 1 < lines.count {
            location.line = lines[row - 1]
        }
        if location.file == nil { location.file = source }
        var copy = error
        copy.location = location
        return copy
    }

    /// The rows where `keep` is true, with their source lines.
    public func filtered(_ keep: [Bool]) throws -> Table {
        precondition(keep.count == rowCount, "filter mask length must equal the row count")
        let lines = sourceLines.map { zip($0, keep).compactMap { $1 ? $0 : nil } }
        return try Table(columns: columns.map { $0.filtered(keep) }, sourceLines: lines, source: source)
    }

    /// A copy with `column` appended (or replacing a column of the same name).
    public func adding(_ column: Column) throws -> Table {
        var columns = self.columns
        if let i = columns.firstIndex(where: { $0.name == column.name }) {
            columns[i] = column
        } else {
            columns.append(column)
        }
        return try Table(columns: columns, sourceLines: sourceLines, source: source)
    }

    /// A copy with only the named columns, in that order.
    public func selecting(_ names: [String]) throws -> Table {
        try Table(columns: names.map { try column(named: $0) }, sourceLines: sourceLines, source: source)
    }
}
