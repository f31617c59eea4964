import Foundation
import Testing
@testable import CustosReport

@Suite("HTML report")
struct HTMLReportTests {
    private func sampleReport() throws -> HTMLReport {
        var report = HTMLReport(title: "Audit <of> model", subtitle: "Adult & friends",
                                metadata: [.init("Dataset", "adult.csv")], generatedAt: Date(timeIntervalSince1970: 0))
        report.addCards([SummaryCard("Disparate impact", value: "0.72", detail: "fails four-fifths rule", tone: .bad)])
        report.addSection("Selection rates")
        report.addParagraph("Rates for \"sex\" <script>alert(1)</script>")
        report.addCallout(Callout(.warning, title: "Small group", "Only 9 rows."))
        report.addFigure(BarChart(title: "Rates", bars: [.init("a", value: 0.4), .init("b", value: nil)]), caption: "Figure 1")
        report.addSection("Details")
        report.addTable(HTMLTable(columns: [.init("group"), .init("rate", numeric: true)],
                                  rows: [["a", .number(0.4)], ["b", .init("0.1", cssClass: "flag")]]))
        try report.addJSON(["k": "v</pre>"])
        return report
    }

    @Test("the page is well-formed XML with one svg, one table and one details block")
    func wellFormed() throws {
        let html = try sampleReport().render()
        let checker = XMLWellFormedness()
        #expect(checker.check(html) == nil)
        #expect(checker.elements.filter { $0 == "svg" }.count == 1)
        #expect(checker.elements.filter { $0 == "table" }.count == 1)
        #expect(checker.elements.filter { $0 == "details" }.count == 1)
        #expect(checker.elements.filter { $0 == "section" }.count == 2)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test("all user text is escaped")
    func escaping() throws {
        let html = try sampleReport().render()
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<title>Audit &lt;of&gt; model</title>"))
        #expect(html.contains("v&lt;/pre&gt;"))
    }

    @Test("the page references nothing external")
    func selfContained() throws {
        let html = try sampleReport().render()
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        let urls = html.components(separatedBy: "http").dropFirst().map { $0.prefix(30) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") || $0.hasPrefix("-equiv") })
    }

    @Test("dark mode, print rules and a table of contents are present")
    func styleAndNavigation() throws {
        let html = try sampleReport().render()
        #expect(html.contains("prefers-color-scheme:dark"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<a href=\"#s1-selection-rates\">Selection rates</a>"))
        #expect(html.contains("<section id=\"s2-details\">"))
        #expect(html.contains("1970-01-01T00:00:00Z"))
    }

    @Test("numeric columns are right-aligned and cell classes applied")
    func tableClasses() {
        let table = HTMLTable(columns: [.init("g"), .init("v", numeric: true)],
                              rows: [["a", .init("1", cssClass: "flag")], ["b", .number(nil)]])
        let html = table.html()
        #expect(html.contains("<th scope=\"col\" class=\"num\">v</th>"))
        #expect(html.contains("<td class=\"num flag\">1</td>"))
        #expect(html.contains("<td class=\"num muted\">—</td>"))
    }

    @Test("a report without sections still renders its blocks and no contents list")
    func noSections() {
        var report = HTMLReport(title: "t")
        report.addParagraph("hello")
        let html = report.render()
        #expect(html.contains("<p>hello</p>"))
        #expect(!html.contains("<nav"))
        #expect(XMLWellFormedness().check(html) == nil)
    }
}
