import Foundation

/// Builds one self-contained HTML5 page (inline CSS and SVG, nothing fetched) from headings, text, cards, tables and charts.
public struct HTMLReport: Sendable, Hashable {
    /// One label–value pair of generation metadata shown under the title ("Dataset: adult.csv").
    public struct Field: Sendable, Hashable {
        /// The label.
        public var label: String
        /// The value.
        public var value: String

        /// Creates a field.
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// The page title (`<title>` and `<h1>`).
    public var title: String
    /// A line under the title, or nil.
    public var subtitle: String?
    /// Generation metadata shown under the title (tool version, input file, seed).
    public var metadata: [Field]
    /// When the report was generated, shown in the metadata; nil leaves it out (for reproducible output).
    public var generatedAt: Date?
    /// The body, in document order.
    public var blocks: [ReportBlock]
    /// Whether to list the sections at the top when there are at least two.
    public var showsTableOfContents: Bool
    /// Colours for light mode and print; charts should use the same palette.
    public var lightPalette: Palette
    /// Colours for dark mode.
    public var darkPalette: Palette
    /// The document language (`lang` attribute).
    public var language: String

    /// Creates an empty report.
    public init(
        title: String, subtitle: String? = nil, metadata: [Field] = [], generatedAt: Date? = nil,
        showsTableOfContents: Bool = true, lightPalette: Palette = .light, darkPalette: Palette = .dark, language: String = "en"
    ) {
        self.title = title
        self.subtitle = subtitle
        self.metadata = metadata
        self.generatedAt = generatedAt
        self.blocks = []
        self.showsTableOfContents = showsTableOfContents
        self.lightPalette = lightPalette
        self.darkPalette = darkPalette
        self.language = language
    }

    /// Appends any block.
    public mutating func append(_ block: ReportBlock) {
        blocks.append(block)
    }

    /// Starts a new top-level section with an `<h2>` heading.
    public mutating func addSection(_ heading: String) {
        blocks.append(.section(heading))
    }

    /// Adds an `<h3>` heading inside the current section.
    public mutating func addSubsection(_ heading: String) {
        blocks.append(.subsection(heading))
    }

    /// Adds a paragraph of plain text.
    public mutating func addParagraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// Adds a bulleted list.
    public mutating func addBullets(_ items: [String]) {
        blocks.append(.bullets(items))
    }

    /// Adds a strip of summary cards.
    public mutating func addCards(_ cards: [SummaryCard]) {
        blocks.append(.cards(cards))
    }

    /// Adds a note or warning callout.
    public mutating func addCallout(_ callout: Callout) {
        blocks.append(.callout(callout))
    }

    /// Adds a data table.
    public mutating func addTable(_ table: HTMLTable) {
        blocks.append(.table(table))
    }

    /// Adds a chart as an inline SVG figure with an optional caption.
    public mutating func addFigure(_ chart: some SVGChart, caption: String? = nil) {
        blocks.append(.figure(svg: chart.svg(), caption: caption))
    }

    /// Adds a collapsed `<details>` block with preformatted text.
    public mutating func addDetails(summary: String, text: String) {
        blocks.append(.details(summary: summary, text: text))
    }

    /// Adds a collapsed `<details>` block with `value` encoded as pretty JSON.
    public mutating func addJSON<T: Encodable>(_ value: T, summary: String = "Raw JSON") throws {
        blocks.append(.details(summary: summary, text: try JSONOutput.encode(value, pretty: true)))
    }

    /// The complete page. The markup is also well-formed XML (void elements self-closed, CSS free of `<` and `&`).
    public func render() -> String {
        let e = HTMLEscaping.escape
        let anchors = sectionAnchors()
        var out = "<!DOCTYPE html>\n<html lang=\"\(e(language))\">\n<head>\n<meta charset=\"utf-8\" />\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\" />\n"
        // The page must never load anything: a strict policy makes an accidental external reference fail loudly.
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\" />\n"
        out += "<title>\(e(title))</title>\n<style>\n\(HTMLStyleSheet.css(light: lightPalette, dark: darkPalette))\n</style>\n</head>\n"
        out += "<body>\n<div class=\"page\">\n" + header() + "\n"
        if showsTableOfContents, anchors.count >= 2 {
            out += "<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ol>"
            for anchor in anchors { out += "<li><a href=\"#\(anchor.id)\">\(e(anchor.heading))</a></li>" }
            out += "</ol></nav>\n"
        }
        out += "<main>\n"
        var sectionOpen = false
        var sectionIndex = 0
        for block in blocks {
            if case .section(let heading) = block {
                if sectionOpen { out += "</section>\n" }
                out += "<section id=\"\(anchors[sectionIndex].id)\">\n<h2>\(e(heading))</h2>\n"
                sectionIndex += 1
                sectionOpen = true
            } else {
                out += Self.html(for: block) + "\n"
            }
        }
        if sectionOpen { out += "</section>\n" }
        out += "</main>\n</div>\n</body>\n</html>\n"
        return out
    }

    /// Title, subtitle and the metadata list.
    private func header() -> String {
        let e = HTMLEscaping.escape
        var out = "<header class=\"report-header\"><h1>\(e(title))</h1>"
        if let subtitle { out += "<p class=\"subtitle\">\(e(subtitle))</p>" }
        var fields = metadata
        if let generatedAt {
            fields.insert(Field("Generated", generatedAt.ISO8601Format()), at: 0)
        }
        if !fields.isEmpty {
            out += "<dl class=\"meta\">"
            for field in fields { out += "<div><dt>\(e(field.label))</dt><dd>\(e(field.value))</dd></div>" }
            out += "</dl>"
        }
        return out + "</header>"
    }

    /// Markup for every block except `.section`, which `render()` handles because it opens a `<section>`.
    private static func html(for block: ReportBlock) -> String {
        let e = HTMLEscaping.escape
        switch block {
        case .section(let heading):
            return "<h2>\(e(heading))</h2>"
        case .subsection(let heading):
            return "<h3>\(e(heading))</h3>"
        case .paragraph(let text):
            return "<p>\(e(text))</p>"
        case .bullets(let items):
            return "<ul>" + items.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        case .cards(let cards):
            var out = "<div class=\"cards\">"
            for card in cards {
                out += "<div class=\"card tone-\(card.tone.rawValue)\"><div class=\"card-label\">\(e(card.label))</div>"
                out += "<div class=\"card-value\">\(e(card.value))</div>"
                if let detail = card.detail { out += "<div class=\"card-detail\">\(e(detail))</div>" }
                out += "</div>"
            }
            return out + "</div>"
        case .callout(let callout):
            var out = "<aside class=\"callout callout-\(callout.kind.rawValue)\" role=\"note\">"
            out += "<span class=\"callout-icon\" aria-hidden=\"true\">\(icon(for: callout.kind))</span><p>"
            if let title = callout.title { out += "<strong>\(e(title)).</strong> " }
            return out + e(callout.text) + "</p></aside>"
        case .table(let table):
            return table.html()
        case .figure(let svg, let caption):
            var out = "<figure class=\"chart\">" + svg
            if let caption { out += "<figcaption>\(e(caption))</figcaption>" }
            return out + "</figure>"
        case .details(let summary, let text):
            return "<details><summary>\(e(summary))</summary><pre><code>\(e(text))</code></pre></details>"
        }
    }

    private static func icon(for kind: Callout.Kind) -> String {
        switch kind {
        case .note: "ℹ"
        case .warning: "⚠"
        case .danger: "✖"
        case .success: "✔"
        }
    }

    /// A unique, readable fragment id per section ("s2-selection-rates").
    private func sectionAnchors() -> [(id: String, heading: String)] {
        var anchors: [(id: String, heading: String)] = []
        for block in blocks {
            guard case .section(let heading) = block else { continue }
            let words = heading.lowercased().unicodeScalars
                .map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : " " }
            let slug = String(words).split(separator: " ").prefix(6).joined(separator: "-")
            let id = "s\(anchors.count + 1)" + (slug.isEmpty ? "" : "-" + slug)
            anchors.append((id, heading))
        }
        return anchors
    }
}
