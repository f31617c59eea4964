import CustosReport
import Foundation

extension AssociationTestReport {
    /// A terminal table: one line per test (effect size, p-value, how it was obtained, set sizes, what was dropped).
    public func renderText() -> String {
        var table = TerminalTable(
            title: "\(kind) on \(embeddings)",
            headers: ["#", "test", "d", "p", "permutations", "sizes X/Y/A/B", "note"],
            alignments: [.right, .left, .right, .right, .right, .right, .left])
        for test in tests {
            let sizes = AssociationTestDefinition.Role.allCases.map { String(test.sizesUsed[$0.rawValue] ?? 0) }.joined(separator: "/")
            let droppedCount = test.dropped.values.map(\.count).reduce(0, +)
            let note = test.skipped.map { "skipped: \($0)" } ?? (droppedCount > 0 ? "\(droppedCount) out-of-vocabulary words dropped" : "")
            table.rows.append([
                String(test.index), test.name, NumberFormatting.format(test.result?.effectSize, decimals: 3),
                test.result.map(Self.formatP) ?? "—", test.result.map { Self.methodLabel($0.method) } ?? "—", sizes, note,
            ])
        }
        return table.render()
    }

    /// A self-contained HTML page: effect sizes charted, the table, and the dropped words per test.
    public func renderHTML(generatedAt: Date? = Date()) -> String {
        var report = HTMLReport(
            title: "\(kind): embedding association tests",
            subtitle: embeddings,
            metadata: [.init("Tests", "\(tests.count) (\(tests.filter { $0.skipped != nil }.count) skipped)")],
            generatedAt: generatedAt)
        report.addSection("Effect sizes")
        report.addParagraph(
            "Effect size d = (mean s(X) − mean s(Y)) / std over X ∪ Y of s(w), with s(w) = mean cosine to A − mean cosine to B. "
                + "d > 0: the first targets sit closer to the first attributes. |d| ≈ 0.2 small, 0.5 medium, 0.8 large (Cohen). "
                + "The p-value is one-sided, from re-partitions of X ∪ Y.")
        let run = tests.filter { $0.result != nil }
        if !run.isEmpty {
            let largest = max(2, run.compactMap { $0.result.map { abs($0.effectSize) } }.max() ?? 2)
            report.addFigure(BarChart(
                title: "Effect size d per test",
                bars: run.map { BarChart.Bar("\($0.index): \($0.name)", value: $0.result?.effectSize, highlight: ($0.result?.pValue ?? 1) < 0.05) },
                domain: -largest...largest, referenceLines: [.init(0, label: "no association")], decimals: 2, maxLabelColumns: 48),
                caption: "Highlighted: p < 0.05.")
        }
        var table = HTMLTable(columns: [
            .init("#", numeric: true), .init("Test"), .init("d", numeric: true), .init("p", numeric: true), .init("Permutations"),
            .init("Sizes X/Y/A/B"), .init("Note"),
        ])
        for test in tests {
            let sizes = AssociationTestDefinition.Role.allCases.map { String(test.sizesUsed[$0.rawValue] ?? 0) }.joined(separator: "/")
            table.rows.append([
                HTMLTable.Cell(String(test.index)), HTMLTable.Cell(test.name), .number(test.result?.effectSize, decimals: 3),
                HTMLTable.Cell(test.result.map(Self.formatP) ?? "—"),
                HTMLTable.Cell(test.result.map { Self.methodLabel($0.method) } ?? "—"), HTMLTable.Cell(sizes),
                HTMLTable.Cell(test.skipped.map { "skipped: \($0)" } ?? ""),
            ])
        }
        report.addTable(table)
        let withDrops = tests.filter { !$0.dropped.values.allSatisfy(\.isEmpty) }
        if !withDrops.isEmpty {
            report.addSection("Out-of-vocabulary words")
            report.addBullets(withDrops.map { test in
                "\(test.index): " + AssociationTestDefinition.Role.allCases.compactMap { role in
                    let words = test.dropped[role.rawValue] ?? []
                    return words.isEmpty ? nil : "\(role.rawValue): \(words.joined(separator: ", "))"
                }.joined(separator: "; ")
            })
        }
        try? report.addJSON(self)
        return report.render()
    }

    /// The p-value as text; a sampled p-value of 0 is shown as a bound ("< 1/N").
    static func formatP(_ result: WEAT.Result) -> String {
        if case .sampled(let permutations) = result.method, result.extremeCount == 0 {
            return "< " + String(format: "%.0e", 1 / Double(permutations))
        }
        return result.pValue < 1e-4 ? String(format: "%.1e", result.pValue) : String(format: "%.4f", result.pValue)
    }

    static func methodLabel(_ method: WEAT.PermutationMethod) -> String {
        switch method {
        case .exact(let partitions): return "exact (\(NumberFormatting.count(partitions)))"
        case .sampled(let permutations): return "\(NumberFormatting.count(permutations)) sampled"
        }
    }
}
