/// A horizontal bar chart, one bar per category, with optional confidence whiskers and reference lines.
public struct BarChart: SVGChart, Hashable {
    /// One category's bar.
    public struct Bar: Sendable, Hashable {
        /// The category name shown at the left (truncated with "…" when long; the full text stays in a tooltip).
        public var label: String
        /// The value, or nil when the metric is undefined for this category (drawn as "undefined", never as zero).
        public var value: Double?
        /// A confidence interval drawn as a whisker, or nil for none.
        public var interval: ClosedRange<Double>?
        /// Whether to draw the bar in the warning colour (for example a group that fails a threshold).
        public var highlight: Bool
        /// Extra text for the bar's tooltip (for example "n = 12").
        public var note: String?

        /// Creates a bar.
        public init(_ label: String, value: Double?, interval: ClosedRange<Double>? = nil, highlight: Bool = false, note: String? = nil) {
            self.label = label
            self.value = value
            self.interval = interval
            self.highlight = highlight
            self.note = note
        }
    }

    /// A labelled vertical line across all bars (the overall value, a 0.8 threshold).
    public struct ReferenceLine: Sendable, Hashable {
        /// Where the line is drawn, in data units.
        public var value: Double
        /// The text shown above the line.
        public var label: String

        /// Creates a reference line.
        public init(_ value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The chart's title (also its accessible name).
    public var title: String
    /// The bars, drawn top to bottom in this order.
    public var bars: [Bar]
    /// The data interval of the value axis; values outside are clamped to its edges.
    public var domain: ClosedRange<Double>
    /// Vertical reference lines.
    public var referenceLines: [ReferenceLine]
    /// Digits after the point in the value shown at each bar's end.
    public var decimals: Int
    /// Whether values are shown as percentages (0.25 → "25.0%") rather than plain numbers.
    public var showsPercent: Bool
    /// The longest label, in display columns, before it is truncated.
    public var maxLabelColumns: Int
    /// The width of the drawing in SVG user units.
    public var width: Double
    /// The colours used.
    public var palette: Palette

    /// Creates a bar chart; the default domain 0...1 suits rates.
    public init(
        title: String, bars: [Bar], domain: ClosedRange<Double> = 0...1, referenceLines: [ReferenceLine] = [],
        decimals: Int = 2, showsPercent: Bool = false, maxLabelColumns: Int = 24, width: Double = 640,
        palette: Palette = .light
    ) {
        self.title = title
        self.bars = bars
        self.domain = domain
        self.referenceLines = referenceLines
        self.decimals = decimals
        self.showsPercent = showsPercent
        self.maxLabelColumns = maxLabelColumns
        self.width = width
        self.palette = palette
    }

    // Layout constants in SVG user units, chosen for a 12-unit font.
    private static let titleHeight = 22.0
    private static let referenceLabelHeight = 16.0
    private static let rowHeight = 26.0
    private static let barThickness = 16.0
    private static let axisHeight = 24.0
    private static let valueColumnWidth = 76.0
    private static let gap = 8.0
    private static let fontSize = 12.0

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let columnWidth = SVGMarkup.columnWidth(fontSize: Self.fontSize)
        let longestLabel = bars.map { min(DisplayWidth.of($0.label), max(1, maxLabelColumns)) }.max() ?? 0
        let labelWidth = max(40, Double(longestLabel) * columnWidth + Self.gap)
        let plotLeft = labelWidth + Self.gap
        let plotRight = max(plotLeft + 40, width - Self.valueColumnWidth)
        let scale = ChartScale(domain: domain, from: plotLeft, to: plotRight)
        let plotTop = Self.titleHeight + (referenceLines.isEmpty ? 4 : Self.referenceLabelHeight + 4)
        let plotBottom = plotTop + Double(max(bars.count, 1)) * Self.rowHeight
        let height = plotBottom + Self.axisHeight

        var out = SVGMarkup.open(width: width, height: height, title: title, description: summary())
        out += SVGMarkup.text(title, x: 0, y: 15, cssClass: "cx-text cx-chart-title", fill: palette.foreground,
                              attributes: " font-weight=\"600\" font-size=\"13\"")
        out += axis(scale: scale, top: plotTop, bottom: plotBottom)
        let baseline = scale.position(min(max(0, scale.domain.lowerBound), scale.domain.upperBound))
        for (index, bar) in bars.enumerated() {
            out += row(bar, top: plotTop + Double(index) * Self.rowHeight, labelRight: labelWidth, scale: scale, baseline: baseline)
        }
        if bars.isEmpty {
            out += SVGMarkup.text("no data", x: plotLeft + Self.gap, y: plotTop + Self.rowHeight / 2 + 4,
                                  cssClass: "cx-muted", fill: palette.muted, attributes: " font-style=\"italic\"")
        }
        for line in referenceLines where line.value.isFinite {
            let x = scale.position(line.value)
            out += SVGMarkup.line(x1: x, y1: plotTop - 2, x2: x, y2: plotBottom, cssClass: "cx-ref",
                                  stroke: palette.reference, width: 1.25, dashed: true)
            out += SVGMarkup.text(line.label, x: x, y: plotTop - 6, anchor: "middle", cssClass: "cx-ref-label",
                                  fill: palette.reference, attributes: " font-size=\"11\"")
        }
        // Values go last, with a halo in the background colour, so reference lines never strike through them.
        for (index, bar) in bars.enumerated() {
            out += valueLabel(bar, top: plotTop + Double(index) * Self.rowHeight, scale: scale, baseline: baseline)
        }
        return out + "</svg>"
    }

    /// Grid lines at each tick and the tick labels under the plot.
    private func axis(scale: ChartScale, top: Double, bottom: Double) -> String {
        var out = "<g class=\"cx-axis\">"
        let tickDecimals = showsPercent ? max(0, scale.tickDecimals() - 2) : scale.tickDecimals()
        for tick in scale.ticks() {
            let x = scale.position(tick)
            out += SVGMarkup.line(x1: x, y1: top, x2: x, y2: bottom, cssClass: "cx-grid", stroke: palette.grid)
            out += SVGMarkup.text(formatted(tick, decimals: tickDecimals), x: x, y: bottom + 16, anchor: "middle",
                                  cssClass: "cx-muted", fill: palette.muted, attributes: " font-size=\"11\"")
        }
        return out + "</g>"
    }

    /// One category: label, bar (or "undefined"), whisker and value text, grouped with a tooltip.
    private func row(_ bar: Bar, top: Double, labelRight: Double, scale: ChartScale, baseline: Double) -> String {
        let middle = top + Self.rowHeight / 2
        let textY = middle + 4 // visually centres a 12-unit font on the row
        var out = "<g class=\"cx-row\"><title>\(HTMLEscaping.escape(tooltip(for: bar)))</title>"
        out += SVGMarkup.text(DisplayWidth.truncate(bar.label, to: max(1, maxLabelColumns)), x: labelRight, y: textY,
                              anchor: "end", cssClass: "cx-text cx-label", fill: palette.foreground)
        guard let value = bar.value, value.isFinite else {
            out += SVGMarkup.text("undefined", x: baseline + Self.gap, y: textY, cssClass: "cx-muted cx-undefined",
                                  fill: palette.muted, attributes: " font-style=\"italic\"")
            return out + "</g>"
        }
        let end = scale.position(value)
        let barClass = bar.highlight ? "cx-bar cx-bar-highlight" : "cx-bar"
        out += SVGMarkup.rect(x: min(baseline, end), y: middle - Self.barThickness / 2, width: abs(end - baseline),
                              height: Self.barThickness, cssClass: barClass,
                              fill: bar.highlight ? palette.warning : palette.accent, radius: 2)
        if let interval = bar.interval, interval.lowerBound.isFinite, interval.upperBound.isFinite {
            let low = scale.position(interval.lowerBound)
            let high = scale.position(interval.upperBound)
            let cap = Self.barThickness / 2 - 2
            out += "<g class=\"cx-ci\">"
            out += SVGMarkup.line(x1: low, y1: middle, x2: high, y2: middle, cssClass: "cx-whisker", stroke: palette.foreground, width: 1.5)
            out += SVGMarkup.line(x1: low, y1: middle - cap, x2: low, y2: middle + cap, cssClass: "cx-whisker", stroke: palette.foreground, width: 1.5)
            out += SVGMarkup.line(x1: high, y1: middle - cap, x2: high, y2: middle + cap, cssClass: "cx-whisker", stroke: palette.foreground, width: 1.5)
            out += "</g>"
        }
        return out + "</g>"
    }

    /// The value printed just right of the bar or its whisker, whichever ends further right.
    private func valueLabel(_ bar: Bar, top: Double, scale: ChartScale, baseline: Double) -> String {
        guard let value = bar.value, value.isFinite else { return "" }
        var rightmost = max(scale.position(value), baseline)
        if let interval = bar.interval, interval.upperBound.isFinite, interval.lowerBound.isFinite {
            rightmost = max(rightmost, scale.position(interval.upperBound))
        }
        let halo = " stroke=\"\(HTMLEscaping.escape(palette.background))\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\""
        return SVGMarkup.text(formatted(value, decimals: decimals), x: rightmost + 6, y: top + Self.rowHeight / 2 + 4,
                              cssClass: "cx-text cx-value", fill: palette.foreground,
                              attributes: " font-variant-numeric=\"tabular-nums\"" + halo)
    }

    private func formatted(_ value: Double?, decimals: Int) -> String {
        showsPercent ? NumberFormatting.percent(value, decimals: decimals) : NumberFormatting.format(value, decimals: decimals)
    }

    /// Full, untruncated text for a bar: label, value, interval and note.
    private func tooltip(for bar: Bar) -> String {
        var text = "\(bar.label): " + (bar.value.map { formatted($0, decimals: decimals) } ?? "undefined")
        if bar.value != nil, let interval = bar.interval {
            text += " [\(formatted(interval.lowerBound, decimals: decimals)), \(formatted(interval.upperBound, decimals: decimals))]"
        }
        if let note = bar.note { text += " (\(note))" }
        return text
    }

    /// A plain-text rendering of the data for screen readers (`<desc>`).
    private func summary() -> String {
        var parts = bars.map(tooltip(for:))
        parts += referenceLines.map { "reference \($0.label) at \(formatted($0.value, decimals: decimals))" }
        return parts.joined(separator: "; ")
    }
}
