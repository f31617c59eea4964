import Testing
@testable import CustosReport

@Suite("Line chart")
struct LineChartTests {
    private let calibration = LineChart(
        title: "Calibration",
        series: [
            .init("group A", pairs: [(0.1, 0.12), (0.5, 0.48), (0.9, 0.85)]),
            .init("group B", pairs: [(0.1, 0.2), (0.5, .nan), (0.9, 0.7)], dashed: true),
        ],
        xLabel: "predicted", yLabel: "observed", xDomain: 0...1, yDomain: 0...1, showsDiagonal: true)

    @Test("SVG is well-formed XML with a title and legend entries")
    func wellFormed() {
        let svg = calibration.svg()
        let checker = XMLWellFormedness()
        #expect(checker.check(svg) == nil)
        #expect(checker.elements.filter { $0 == "path" }.count == 2)
        #expect(svg.contains(">group A</text>"))
        #expect(svg.contains(">group B</text>"))
        #expect(svg.contains("role=\"img\""))
    }

    @Test("the y = x diagonal appears only when asked for")
    func diagonal() {
        var chart = calibration
        #expect(chart.svg().contains("cx-diagonal"))
        chart.showsDiagonal = false
        #expect(!chart.svg().contains("cx-diagonal"))
    }

    @Test("a non-finite point breaks the line into two segments")
    func gaps() {
        let svg = LineChart(title: "t", series: [.init("s", pairs: [(0, 0), (1, .nan), (2, 2), (3, 1)])]).svg()
        let d = svg.components(separatedBy: " d=\"").dropFirst().first?.prefix(while: { $0 != "\"" }) ?? ""
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "L" }.count == 1)
    }

    @Test("axis ticks are round numbers covering the domain")
    func ticks() {
        let svg = LineChart(title: "t", series: [.init("s", pairs: [(0, 0), (1, 1)])], xDomain: 0...1, yDomain: 0...1).svg()
        for tick in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
            #expect(svg.contains(">\(tick)</text>"))
        }
    }

    @Test("an empty chart still renders valid SVG")
    func empty() {
        #expect(XMLWellFormedness().check(LineChart(title: "nothing", series: []).svg()) == nil)
    }
}
