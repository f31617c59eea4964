/// A line chart of one or more (x, y) series with axes, ticks, a legend and an optional y = x diagonal (calibration, trade-offs).
public struct LineChart: SVGChart, Hashable {
    /// One (x, y) observation.
    public struct Point: Sendable, Hashable, Codable {
        /// Horizontal coordinate, in data units.
        public var x: Double
        /// Vertical coordinate, in data units.
        public var y: Double

        /// Creates a point.
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// A named sequence of points joined in the given order; a non-finite point breaks the line.
    public struct Series: Sendable, Hashable {
        /// The legend text.
        public var name: String
        /// The points, joined in this order.
        public var points: [Point]
        /// Whether each point is also drawn as a dot.
        public var showsMarkers: Bool
        /// Whether the line is dashed.
        public var dashed: Bool

        /// Creates a series.
        public init(_ name: String, points: [Point], showsMarkers: Bool = true, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.showsMarkers = showsMarkers
            self.dashed = dashed
        }

        /// Creates a series from (x, y) pairs.
        public init(_ name: String, pairs: [(Double, Double)], showsMarkers: Bool = true, dashed: Bool = false) {
            self.init(name, points: pairs.map { Point(x: $0.0, y: $0.1) }, showsMarkers: showsMarkers, dashed: dashed)
        }
    }

    /// The chart's title (also its accessible name).
    public var title: String
    /// The series, coloured in order from the palette.
    public var series: [Series]
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis.
    public var yLabel: String
    /// The horizontal data interval, or nil to fit the data.
    public var xDomain: ClosedRange<Double>?
    /// The vertical data interval, or nil to fit the data.
    public var yDomain: ClosedRange<Double>?
    /// Whether to draw the dashed y = x reference diagonal (perfect calibration).
    public var showsDiagonal: Bool
    /// The width of the drawing in SVG user units.
    public var width: Double
    /// The height of the drawing in SVG user units.
    public var height: Double
    /// The colours used.
    public var palette: Palette

    /// Creates a line chart.
    public init(
        title: String, series: [Series], xLabel: String = "", yLabel: String = "",
        xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil, showsDiagonal: Bool = false,
        width: Double = 640, height: Double = 400, palette: Palette = .light
    ) {
        self.title = title
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xDomain = xDomain
        self.yDomain = yDomain
        self.showsDiagonal = showsDiagonal
        self.width = width
        self.height = height
        self.palette = palette
    }

    // Layout constants in SVG user units, chosen for a 12-unit font.
    private static let titleHeight = 22.0
    private static let legendRowHeight = 18.0
    private static let leftMargin = 56.0
    private static let rightMargin = 16.0
    private static let bottomMargin = 44.0
    private static let markerRadius = 3.0
    private static let fontSize = 12.0

    /// The chart as a standalone `<svg>` element.
    public func svg() -> String {
        let legend = legendLayout()
        let plotLeft = Self.leftMargin
        let plotRight = max(plotLeft + 40, width - Self.rightMargin)
        let plotTop = Self.titleHeight + Double(legend.rows) * Self.legendRowHeight + 8
        let plotBottom = max(plotTop + 40, height - Self.bottomMargin)
        let totalHeight = plotBottom + Self.bottomMargin
        let allPoints = series.flatMap(\.points)
        let x = ChartScale(domain: xDomain ?? ChartScale.niceDomain(covering: allPoints.map(\.x)), from: plotLeft, to: plotRight)
        let y = ChartScale(domain: yDomain ?? ChartScale.niceDomain(covering: allPoints.map(\.y)), from: plotBottom, to: plotTop)

        var out = SVGMarkup.open(width: width, height: totalHeight, title: title, description: summary())
        out += SVGMarkup.text(title, x: 0, y: 15, cssClass: "cx-text cx-chart-title", fill: palette.foreground,
                              attributes: " font-weight=\"600\" font-size=\"13\"")
        out += legend.markup
        out += axes(x: x, y: y, left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom)
        // A nested <svg> clips lines to the plot area without needing a document-unique clipPath id.
        let c = NumberFormatting.coordinate
        out += "<svg class=\"cx-plot\" x=\"\(c(plotLeft))\" y=\"\(c(plotTop))\" width=\"\(c(plotRight - plotLeft))\""
        out += " height=\"\(c(plotBottom - plotTop))\" viewBox=\"\(c(plotLeft)) \(c(plotTop)) \(c(plotRight - plotLeft)) \(c(plotBottom - plotTop))\" overflow=\"hidden\">"
        if showsDiagonal { out += diagonal(x: x, y: y) }
        for (index, item) in series.enumerated() {
            out += path(for: item, index: index, x: x, y: y)
        }
        out += "</svg>"
        return out + "</svg>"
    }

    /// Frame, grid, tick labels and axis titles.
    private func axes(x: ChartScale, y: ChartScale, left: Double, right: Double, top: Double, bottom: Double) -> String {
        var out = "<g class=\"cx-axis\">"
        let xDecimals = x.tickDecimals()
        for tick in x.ticks() {
            let px = x.position(tick)
            out += SVGMarkup.line(x1: px, y1: top, x2: px, y2: bottom, cssClass: "cx-grid", stroke: palette.grid)
            out += SVGMarkup.text(NumberFormatting.format(tick, decimals: xDecimals), x: px, y: bottom + 15, anchor: "middle",
                                  cssClass: "cx-muted", fill: palette.muted, attributes: " font-size=\"11\"")
        }
        let yDecimals = y.tickDecimals()
        for tick in y.ticks() {
            let py = y.position(tick)
            out += SVGMarkup.line(x1: left, y1: py, x2: right, y2: py, cssClass: "cx-grid", stroke: palette.grid)
            out += SVGMarkup.text(NumberFormatting.format(tick, decimals: yDecimals), x: left - 6, y: py + 4, anchor: "end",
                                  cssClass: "cx-muted", fill: palette.muted, attributes: " font-size=\"11\"")
        }
        out += SVGMarkup.line(x1: left, y1: bottom, x2: right, y2: bottom, cssClass: "cx-axis-line", stroke: palette.muted)
        out += SVGMarkup.line(x1: left, y1: top, x2: left, y2: bottom, cssClass: "cx-axis-line", stroke: palette.muted)
        if !xLabel.isEmpty {
            out += SVGMarkup.text(xLabel, x: (left + right) / 2, y: bottom + 34, anchor: "middle", cssClass: "cx-text", fill: palette.foreground)
        }
        if !yLabel.isEmpty {
            let c = NumberFormatting.coordinate
            let cy = (top + bottom) / 2
            out += SVGMarkup.text(yLabel, x: 14, y: cy, anchor: "middle", cssClass: "cx-text", fill: palette.foreground,
                                  attributes: " transform=\"rotate(-90 14 \(c(cy)))\"")
        }
        return out + "</g>"
    }

    /// The y = x line over the part of the plot where both axes overlap.
    private func diagonal(x: ChartScale, y: ChartScale) -> String {
        let low = max(x.domain.lowerBound, y.domain.lowerBound)
        let high = min(x.domain.upperBound, y.domain.upperBound)
        guard low < high else { return "" }
        return SVGMarkup.line(x1: x.position(low), y1: y.position(low), x2: x.position(high), y2: y.position(high),
                              cssClass: "cx-ref cx-diagonal", stroke: palette.reference, width: 1, dashed: true)
    }

    /// One series as a polyline path (broken at non-finite points) plus optional markers.
    private func path(for item: Series, index: Int, x: ChartScale, y: ChartScale) -> String {
        let c = NumberFormatting.coordinate
        let color = HTMLEscaping.escape(palette.seriesColor(index))
        let styleIndex = index % Palette.styledSeriesCount
        var commands = ""
        var penDown = false
        var markers = ""
        for point in item.points {
            guard point.x.isFinite, point.y.isFinite else {
                penDown = false
                continue
            }
            // Points outside the domain are not clamped (that would distort the line); the nested <svg> clips them.
            let px = unclamped(point.x, x)
            let py = unclamped(point.y, y)
            commands += (penDown ? " L" : (commands.isEmpty ? "M" : " M")) + "\(c(px)) \(c(py))"
            penDown = true
            if item.showsMarkers, x.contains(point.x), y.contains(point.y) {
                markers += "<circle class=\"cx-mark-\(styleIndex)\" cx=\"\(c(px))\" cy=\"\(c(py))\" r=\"\(c(Self.markerRadius))\" fill=\"\(color)\">"
                markers += "<title>\(HTMLEscaping.escape("\(item.name): (\(NumberFormatting.format(point.x, decimals: 3)), \(NumberFormatting.format(point.y, decimals: 3)))"))</title></circle>"
            }
        }
        var out = "<g class=\"cx-series\">"
        if !commands.isEmpty {
            out += "<path class=\"cx-line-\(styleIndex)\" d=\"\(commands)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\""
            out += " stroke-linejoin=\"round\" stroke-linecap=\"round\"" + (item.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>"
        }
        return out + markers + "</g>"
    }

    private func unclamped(_ value: Double, _ scale: ChartScale) -> Double {
        scale.lower + (value - scale.domain.lowerBound) / (scale.domain.upperBound - scale.domain.lowerBound) * (scale.upper - scale.lower)
    }

    /// Legend entries laid out left to right, wrapping to new rows when the width runs out.
    private func legendLayout() -> (markup: String, rows: Int) {
        guard !series.isEmpty else { return ("", 0) }
        let columnWidth = SVGMarkup.columnWidth(fontSize: Self.fontSize)
        var out = "<g class=\"cx-legend\">"
        var cursor = 0.0
        var row = 0
        for (index, item) in series.enumerated() {
            let name = DisplayWidth.truncate(item.name, to: 40)
            let entryWidth = 22 + Double(DisplayWidth.of(name)) * columnWidth + 16
            if cursor > 0, cursor + entryWidth > width {
                row += 1
                cursor = 0
            }
            let baseline = Self.titleHeight + Double(row) * Self.legendRowHeight + 12
            let styleIndex = index % Palette.styledSeriesCount
            out += SVGMarkup.rect(x: cursor, y: baseline - 9, width: 16, height: 10, cssClass: "cx-mark-\(styleIndex)",
                                  fill: palette.seriesColor(index), radius: 2)
            out += SVGMarkup.text(name, x: cursor + 22, y: baseline, cssClass: "cx-text", fill: palette.foreground,
                                  tooltip: name == item.name ? nil : item.name)
            cursor += entryWidth
        }
        return (out + "</g>", row + 1)
    }

    /// A plain-text rendering of the data for screen readers (`<desc>`).
    private func summary() -> String {
        series.map { item in
            let points = item.points.prefix(50).map {
                "(\(NumberFormatting.format($0.x, decimals: 3)), \(NumberFormatting.format($0.y, decimals: 3)))"
            }
            return "\(item.name): " + points.joined(separator: " ") + (item.points.count > 50 ? " …" : "")
        }.joined(separator: "; ")
    }
}
