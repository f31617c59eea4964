import Testing
@testable import CustosReport

@Suite("Terminal table")
struct TerminalTableTests {
    @Test("columns are padded to the widest cell and aligned per column")
    func alignment() {
        let table = TerminalTable(headers: ["group", "rate"], alignments: [.left, .right],
                                  rows: [["female", "0.31"], ["x", "12.5"]])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == [
            "┌────────┬──────┐",
            "│ group  │ rate │",
            "├────────┼──────┤",
            "│ female │ 0.31 │",
            "│ x      │ 12.5 │",
            "└────────┴──────┘",
        ])
    }

    @Test("every line has the same display width, with wide and combining characters")
    func displayWidth() {
        let table = TerminalTable(title: "Groups", headers: ["name", "n"], alignments: [.left, .right],
                                  rows: [["東京", "3"], ["Zoe\u{301}", "10"], ["👩‍💻 dev", "7"]])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.first == "Groups")
        let widths = Set(lines.dropFirst().map(DisplayWidth.of))
        #expect(widths.count == 1)
        #expect(lines.contains("│ 東京   │  3 │"))
    }

    @Test("display width counts columns, not bytes or scalars")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 4) == "abc")
    }

    @Test("ASCII style uses only ASCII characters")
    func asciiStyle() {
        let text = TerminalTable(headers: ["a", "b"], rows: [["1", "2"]], style: .ascii).render()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.hasPrefix("+---+---+"))
    }

    @Test("plain style has a header rule and no trailing spaces")
    func plainStyle() {
        let lines = TerminalTable(headers: ["a", "bb"], alignments: [.left, .right], rows: [["xyz", "1"]], style: .plain)
            .render().split(separator: "\n").map(String.init)
        #expect(lines == [" a   │ bb", "─────┼────", " xyz │  1"])
    }

    @Test("short rows are padded and newlines in cells flattened")
    func raggedRows() {
        let lines = TerminalTable(headers: ["a", "b"], rows: [["1"], ["x\ny", "2"]]).render().split(separator: "\n")
        #expect(lines[3] == "│ 1   │   │")
        #expect(lines[4] == "│ x y │ 2 │")
    }
}
