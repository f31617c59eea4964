/// A data table for an HTML report: a header row, numeric columns right-aligned, and optional CSS classes per cell.
public struct HTMLTable: Sendable, Hashable {
    /// A column's header and alignment.
    public struct Column: Sendable, Hashable {
        /// The header text.
        public var header: String
        /// Whether the column holds numbers: right-aligned with tabular figures.
        public var numeric: Bool

        /// Creates a column.
        public init(_ header: String, numeric: Bool = false) {
            self.header = header
            self.numeric = numeric
        }
    }

    /// One cell: its text and an optional CSS class (`flag`, `muted`, `good`) for emphasis.
    public struct Cell: Sendable, Hashable, ExpressibleByStringLiteral {
        /// The text, escaped when rendered.
        public var text: String
        /// A CSS class name; characters outside `A–Z a–z 0–9 _ -` are dropped.
        public var cssClass: String?
        /// A tooltip (`title` attribute), for the exact value behind a rounded one.
        public var tooltip: String?

        /// Creates a cell.
        public init(_ text: String, cssClass: String? = nil, tooltip: String? = nil) {
            self.text = text
            self.cssClass = cssClass
            self.tooltip = tooltip
        }

        /// Creates a plain cell from a string literal.
        public init(stringLiteral value: String) {
            self.init(value)
        }

        /// A cell showing `value` with `decimals` digits ("—" when nil), flagged when `flag` is true.
        public static func number(_ value: Double?, decimals: Int = 3, flag: Bool = false) -> Cell {
            Cell(NumberFormatting.format(value, decimals: decimals), cssClass: flag ? "flag" : (value == nil ? "muted" : nil))
        }
    }

    /// The columns.
    public var columns: [Column]
    /// The rows; short rows are padded with empty cells.
    public var rows: [[Cell]]
    /// A caption rendered above the table.
    public var caption: String?

    /// Creates a table.
    public init(columns: [Column], rows: [[Cell]] = [], caption: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.caption = caption
    }

    /// Appends one row.
    public mutating func addRow(_ cells: [Cell]) {
        rows.append(cells)
    }

    /// The table as an HTML fragment (wrapped in a horizontally scrollable container).
    public func html() -> String {
        let count = max(columns.count, rows.map(\.count).max() ?? 0)
        var out = "<div class=\"table-wrap\"><table>"
        if let caption { out += "<caption>\(HTMLEscaping.escape(caption))</caption>" }
        out += "<thead><tr>"
        for index in 0..<count {
            let column = index < columns.count ? columns[index] : Column("")
            out += "<th scope=\"col\"\(column.numeric ? " class=\"num\"" : "")>\(HTMLEscaping.escape(column.header))</th>"
        }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for index in 0..<count {
                let cell = index < row.count ? row[index] : Cell("")
                var classes: [String] = []
                if index < columns.count, columns[index].numeric { classes.append("num") }
                if let name = cell.cssClass.flatMap(HTMLEscaping.cssClass) { classes.append(name) }
                out += "<td"
                if !classes.isEmpty { out += " class=\"\(classes.joined(separator: " "))\"" }
                if let tooltip = cell.tooltip { out += " title=\"\(HTMLEscaping.escape(tooltip))\"" }
                out += ">\(HTMLEscaping.escape(cell.text))</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }
}
