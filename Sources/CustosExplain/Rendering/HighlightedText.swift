import CustosReport
import Foundation

/// A text with each word's background shaded by its attribution (red raises the score, blue lowers it), as an
/// inline SVG figure for `HTMLReport`.
public struct HighlightedText: SVGChart {
    /// The figure's title (accessible name).
    public var title: String
    /// The explanation drawn.
    public var explanation: TextExplanation
    /// Figure width in SVG units.
    public var width: Double = 720

    // Layout for a 14-unit monospace-ish font (0.6 em per column, the estimate CustosReport's charts use).
    private static let fontSize = 14.0
    private static let lineHeight = 26.0
    private static let padding = 4.0
    private static let raises = "#d62728"
    private static let lowers = "#1f77b4"

    /// Creates the figure.
    public init(title: String, explanation: TextExplanation) {
        self.title = title
        self.explanation = explanation
    }

    /// The figure as an `<svg>` element.
    public func svg() -> String {
        let column = Self.fontSize * 0.6
        let largest = max(explanation.words.map { abs($0.value) }.max() ?? 0, .leastNormalMagnitude)
        var pieces: [(text: String, value: Double?)] = []
        let scalars = Array(explanation.text.unicodeScalars)
        var cursor = 0
        for word in explanation.words {
            if word.start > cursor { pieces.append((Self.text(scalars[cursor..<word.start]), nil)) }
            pieces.append((word.text, word.value))
            cursor = word.end
        }
        if cursor < scalars.count { pieces.append((Self.text(scalars[cursor...]), nil)) }

        var body = ""
        var x = Self.padding
        var y = Self.lineHeight
        for piece in pieces {
            if piece.value == nil, piece.text.contains(where: \.isNewline) {
                x = Self.padding
                y += Self.lineHeight
                continue
            }
            let label = piece.value == nil ? piece.text.replacingOccurrences(of: "\t", with: " ") : piece.text
            let pieceWidth = Double(DisplayWidth.of(label)) * column
            if x + pieceWidth > width - Self.padding, x > Self.padding {
                x = Self.padding
                y += Self.lineHeight
                if piece.value == nil { continue }
            }
            if let value = piece.value {
                let opacity = min(1, abs(value) / largest) * 0.85
                let fill = value >= 0 ? Self.raises : Self.lowers
                body += "<g><title>\(HTMLEscaping.escape("\(piece.text): \(String(format: "%+.4f", value))"))</title>"
                body += "<rect x=\"\(Self.f(x - 1))\" y=\"\(Self.f(y - Self.fontSize - 2))\" width=\"\(Self.f(pieceWidth + 2))\" "
                    + "height=\"\(Self.f(Self.fontSize + 8))\" rx=\"3\" fill=\"\(fill)\" fill-opacity=\"\(Self.f(opacity))\"/>"
                body += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-family=\"ui-monospace, monospace\" "
                    + "font-size=\"\(Self.f(Self.fontSize))\" class=\"cx-text\">\(HTMLEscaping.escape(piece.text))</text></g>"
            } else if label.contains(where: { !$0.isWhitespace }) {
                body += "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" font-family=\"ui-monospace, monospace\" "
                    + "font-size=\"\(Self.f(Self.fontSize))\" class=\"cx-text\" xml:space=\"preserve\">\(HTMLEscaping.escape(label))</text>"
            }
            x += pieceWidth
        }
        let height = y + Self.lineHeight / 2
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.f(width)) \(Self.f(height))\" role=\"img\" "
            + "width=\"\(Self.f(width))\"><title>\(HTMLEscaping.escape(title))</title>" + body + "</svg>"
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
