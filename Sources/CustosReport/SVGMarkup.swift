/// Small builders for SVG elements shared by the charts; every attribute value and text node is escaped here.
enum SVGMarkup {
    /// The font stack charts use; matches the page so embedded charts look native.
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

    /// Approximate advance of one display column at `fontSize`, for layout without font metrics.
    static func columnWidth(fontSize: Double) -> Double { fontSize * 0.6 }

    /// The opening `<svg>` tag with its accessible name and the `<title>`/`<desc>` children.
    static func open(width: Double, height: Double, title: String, description: String?) -> String {
        let w = NumberFormatting.coordinate(width)
        let h = NumberFormatting.coordinate(height)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cx-chart\" viewBox=\"0 0 \(w) \(h)\""
        out += " width=\"\(w)\" height=\"\(h)\" role=\"img\" aria-label=\"\(HTMLEscaping.escape(title))\""
        out += " font-family=\"\(HTMLEscaping.escape(fontFamily))\" font-size=\"12\">"
        out += "<title>\(HTMLEscaping.escape(title))</title>"
        if let description, !description.isEmpty {
            out += "<desc>\(HTMLEscaping.escape(description))</desc>"
        }
        return out
    }

    /// A `<text>` element; `attributes` are already-escaped extra attributes.
    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", cssClass: String, fill: String,
        attributes: String = "", tooltip: String? = nil
    ) -> String {
        var out = "<text class=\"\(cssClass)\" x=\"\(NumberFormatting.coordinate(x))\" y=\"\(NumberFormatting.coordinate(y))\""
        out += " text-anchor=\"\(anchor)\" fill=\"\(HTMLEscaping.escape(fill))\"\(attributes)>"
        if let tooltip { out += "<title>\(HTMLEscaping.escape(tooltip))</title>" }
        return out + HTMLEscaping.escape(content) + "</text>"
    }

    /// A `<line>` element.
    static func line(
        x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String, stroke: String,
        width: Double = 1, dashed: Bool = false
    ) -> String {
        let c = NumberFormatting.coordinate
        var out = "<line class=\"\(cssClass)\" x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\""
        out += " stroke=\"\(HTMLEscaping.escape(stroke))\" stroke-width=\"\(c(width))\""
        if dashed { out += " stroke-dasharray=\"4 3\"" }
        return out + "/>"
    }

    /// A `<rect>` element.
    static func rect(x: Double, y: Double, width: Double, height: Double, cssClass: String, fill: String, radius: Double = 0) -> String {
        let c = NumberFormatting.coordinate
        var out = "<rect class=\"\(cssClass)\" x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(0, width)))\" height=\"\(c(max(0, height)))\""
        if radius > 0 { out += " rx=\"\(c(radius))\"" }
        return out + " fill=\"\(HTMLEscaping.escape(fill))\"/>"
    }
}
