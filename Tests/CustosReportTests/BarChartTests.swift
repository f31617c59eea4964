import Testing
@testable import CustosReport

@Suite("Bar chart")
struct BarChartTests {
    private let sample = BarChart(
        title: "Selection rate by <group> & sex",
        bars: [
            .init("female", value: 0.31, interval: 0.27...0.35),
            .init("male", value: 0.52, interval: 0.49...0.55),
            .init("non-binary", value: nil),
            .init("other", value: 0.12, highlight: true, note: "n = 9"),
        ],
        referenceLines: [.init(0.8, label: "4/5"), .init(0.45, label: "overall")])

    @Test("SVG is well-formed XML with a viewBox, role and title")
    func wellFormed() {
        let svg = sample.svg()
        let checker = XMLWellFormedness()
        #expect(checker.check(svg) == nil)
        #expect(checker.elements.first == "svg")
        #expect(svg.contains("viewBox=\"0 0 "))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("<title>Selection rate by &lt;group&gt; &amp; sex</title>"))
    }

    @Test("a nil value is labelled undefined and draws no bar")
    func undefinedValue() {
        let chart = BarChart(title: "t", bars: [.init("only", value: nil, interval: 0.1...0.2)])
        let svg = chart.svg()
        #expect(svg.contains(">undefined</text>"))
        #expect(!svg.contains("class=\"cx-bar"))
        #expect(!svg.contains("cx-whisker"))
    }

    @Test("one bar per defined value, highlighted ones in the warning colour")
    func barsAndHighlight() {
        let svg = sample.svg()
        #expect(svg.components(separatedBy: "<rect class=\"cx-bar").count - 1 == 3)
        #expect(svg.components(separatedBy: "cx-bar-highlight").count - 1 == 1)
        #expect(svg.contains("fill=\"\(Palette.light.warning)\""))
    }

    @Test("confidence whiskers appear only when an interval is given")
    func whiskers() {
        let with = BarChart(title: "t", bars: [.init("a", value: 0.5, interval: 0.4...0.6)]).svg()
        let without = BarChart(title: "t", bars: [.init("a", value: 0.5)]).svg()
        #expect(with.components(separatedBy: "class=\"cx-whisker\"").count - 1 == 3)
        #expect(!without.contains("cx-whisker"))
    }

    @Test("reference lines are drawn and labelled at their value")
    func referenceLines() {
        let chart = BarChart(title: "t", bars: [.init("a", value: 0.5)], referenceLines: [.init(0.8, label: "four-fifths")], width: 640)
        let svg = chart.svg()
        #expect(svg.contains(">four-fifths</text>"))
        // The plot spans from the label column to width - 76; 0.8 of it must lie right of the middle.
        #expect(svg.contains("class=\"cx-ref\""))
        let x1 = svg.components(separatedBy: "class=\"cx-ref\" x1=\"").dropFirst().first?.prefix(while: { $0 != "\"" })
        let position = x1.flatMap { Double($0) } ?? -1
        #expect(position > 320 && position < 564)
    }

    @Test("values are printed with the requested decimals or as percentages")
    func valueText() {
        #expect(BarChart(title: "t", bars: [.init("a", value: 0.123456)], decimals: 3).svg().contains(">0.123</text>"))
        #expect(BarChart(title: "t", bars: [.init("a", value: 0.25)], decimals: 1, showsPercent: true).svg().contains(">25.0%</text>"))
    }

    @Test("long labels are truncated with an ellipsis and kept whole in the tooltip")
    func longLabels() {
        let label = "Native Hawaiian or Other Pacific Islander"
        let svg = BarChart(title: "t", bars: [.init(label, value: 0.4)], maxLabelColumns: 20).svg()
        #expect(svg.contains(">Native Hawaiian or…</text>"))
        #expect(svg.contains("<title>\(label): 0.40</title>"))
    }

    @Test("values outside the domain are clamped to the plot")
    func clamping() {
        let svg = BarChart(title: "t", bars: [.init("a", value: 7)], width: 640).svg()
        let widthText = svg.components(separatedBy: "<rect class=\"cx-bar\"").dropFirst().first?
            .components(separatedBy: "width=\"").dropFirst().first?.prefix(while: { $0 != "\"" })
        let barWidth = widthText.flatMap { Double($0) } ?? .infinity
        #expect(barWidth < 640)
    }
}
