/// One key figure shown as a card in a report's summary strip.
public struct SummaryCard: Sendable, Hashable {
    /// How a card or callout is coloured.
    public enum Tone: String, Sendable, Hashable, Codable {
        /// No emphasis.
        case neutral
        /// A pass or good news.
        case good
        /// Needs attention.
        case warning
        /// A failure.
        case bad
    }

    /// The small caption above the value ("Disparate impact").
    public var label: String
    /// The figure itself, already formatted ("0.72").
    public var value: String
    /// A line of context under the value ("fails four-fifths rule").
    public var detail: String?
    /// The card's colouring.
    public var tone: Tone

    /// Creates a card.
    public init(_ label: String, value: String, detail: String? = nil, tone: Tone = .neutral) {
        self.label = label
        self.value = value
        self.detail = detail
        self.tone = tone
    }
}

/// A highlighted note or warning ("small group", "fails four-fifths rule").
public struct Callout: Sendable, Hashable {
    /// The kind of callout, which sets its colour and icon.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Background information.
        case note
        /// Something the reader should check.
        case warning
        /// A failed check.
        case danger
        /// A passed check.
        case success
    }

    /// The kind, which sets colour and icon.
    public var kind: Kind
    /// A short bold lead ("Small group"), or nil.
    public var title: String?
    /// The body text.
    public var text: String

    /// Creates a callout.
    public init(_ kind: Kind, title: String? = nil, _ text: String) {
        self.kind = kind
        self.title = title
        self.text = text
    }
}

/// One piece of an HTML report's body, in document order.
public enum ReportBlock: Sendable, Hashable {
    /// A top-level section heading (`<h2>`); starts a new `<section>` and a table-of-contents entry.
    case section(String)
    /// A subsection heading (`<h3>`).
    case subsection(String)
    /// A paragraph of plain text.
    case paragraph(String)
    /// A bulleted list of plain-text items.
    case bullets([String])
    /// A strip of summary cards.
    case cards([SummaryCard])
    /// A note or warning.
    case callout(Callout)
    /// A data table.
    case table(HTMLTable)
    /// A chart's SVG markup (produced by an `SVGChart`, trusted as-is) with an optional caption.
    case figure(svg: String, caption: String?)
    /// A collapsed `<details>` block holding preformatted text such as raw JSON.
    case details(summary: String, text: String)
}
