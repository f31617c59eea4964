/// A table for the terminal: headers, rows of strings, per-column alignment, padded by display width.
public struct TerminalTable: Sendable, Hashable {
    /// Which characters draw the rules.
    public enum Style: String, Sendable, Hashable, Codable {
        /// Full box with Unicode box-drawing characters (`┌─┬─┐ │`).
        case box
        /// Only a `─` rule under the header and `│` between columns; compact for CLI output.
        case plain
        /// Full box with ASCII only (`+-|`), for terminals or logs without UTF-8.
        case ascii
    }

    /// A column's header and alignment.
    public struct Column: Sendable, Hashable {
        /// The header text.
        public var header: String
        /// How cells are aligned (numbers usually `.right`).
        public var alignment: TextAlignment

        /// Creates a column.
        public init(_ header: String, alignment: TextAlignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    /// An optional line printed above the table.
    public var title: String?
    /// The columns; rows wider than this get extra left-aligned columns with empty headers.
    public var columns: [Column]
    /// The cells, row by row; short rows are padded with empty cells.
    public var rows: [[String]]
    /// Which characters draw the rules.
    public var style: Style

    /// Creates a table from column descriptions.
    public init(title: String? = nil, columns: [Column], rows: [[String]] = [], style: Style = .box) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.style = style
    }

    /// Creates a table from header strings; `alignments` lists per-column alignment (missing ones are `.left`).
    public init(title: String? = nil, headers: [String], alignments: [TextAlignment] = [], rows: [[String]] = [], style: Style = .box) {
        let columns = headers.enumerated().map { index, header in
            Column(header, alignment: index < alignments.count ? alignments[index] : .left)
        }
        self.init(title: title, columns: columns, rows: rows, style: style)
    }

    /// Appends one row of cells.
    public mutating func addRow(_ cells: [String]) {
        rows.append(cells)
    }

    /// The table as lines joined by "\n", without a trailing newline.
    public func render() -> String {
        let count = max(columns.count, rows.map(\.count).max() ?? 0)
        let headers = (0..<count).map { $0 < columns.count ? Self.singleLine(columns[$0].header) : "" }
        let alignments = (0..<count).map { $0 < columns.count ? columns[$0].alignment : .left }
        let body = rows.map { row in (0..<count).map { $0 < row.count ? Self.singleLine(row[$0]) : "" } }
        let widths = (0..<count).map { column in
            ([headers[column]] + body.map { $0[column] }).map(DisplayWidth.of).max() ?? 0
        }

        let glyphs = Glyphs(style)
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: glyphs.horizontal, count: $0 + 2) }.joined(separator: middle) + right
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                // Headers follow their column's alignment so a right-aligned number column lines up under its title.
                " " + DisplayWidth.pad(cell, to: widths[index], alignment: alignments[index]) + " "
            }
            return glyphs.edge + padded.joined(separator: glyphs.vertical) + glyphs.edge
        }

        var lines: [String] = []
        if let title { lines.append(Self.singleLine(title)) }
        guard count > 0 else { return lines.joined(separator: "\n") }
        if style != .plain { lines.append(rule(glyphs.topLeft, glyphs.topMiddle, glyphs.topRight)) }
        lines.append(line(headers))
        lines.append(rule(glyphs.ruleLeft, glyphs.ruleMiddle, glyphs.ruleRight))
        lines += body.map(line)
        if style != .plain { lines.append(rule(glyphs.bottomLeft, glyphs.bottomMiddle, glyphs.bottomRight)) }
        // The plain style pads its outer edges with spaces; drop them so lines do not end in whitespace.
        if style == .plain { lines = lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) } }
        return lines.joined(separator: "\n")
    }

    /// Tabs and newlines would break the grid; they become spaces.
    private static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// The drawing characters of one style.
    private struct Glyphs {
        let horizontal, vertical, edge: String
        let topLeft, topMiddle, topRight: String
        let ruleLeft, ruleMiddle, ruleRight: String
        let bottomLeft, bottomMiddle, bottomRight: String

        init(_ style: Style) {
            switch style {
            case .box:
                (horizontal, vertical, edge) = ("─", "│", "│")
                (topLeft, topMiddle, topRight) = ("┌", "┬", "┐")
                (ruleLeft, ruleMiddle, ruleRight) = ("├", "┼", "┤")
                (bottomLeft, bottomMiddle, bottomRight) = ("└", "┴", "┘")
            case .plain:
                (horizontal, vertical, edge) = ("─", "│", "")
                (topLeft, topMiddle, topRight) = ("", "┬", "")
                (ruleLeft, ruleMiddle, ruleRight) = ("", "┼", "")
                (bottomLeft, bottomMiddle, bottomRight) = ("", "┴", "")
            case .ascii:
                (horizontal, vertical, edge) = ("-", "|", "|")
                (topLeft, topMiddle, topRight) = ("+", "+", "+")
                (ruleLeft, ruleMiddle, ruleRight) = ("+", "+", "+")
                (bottomLeft, bottomMiddle, bottomRight) = ("+", "+", "+")
            }
        }
    }
}
