import CustosCore
import CustosReport
import Foundation

extension ShapleyResult {
    /// Rows drawn as force-style bar charts in the HTML report (the summary plot covers all rows).
    public static let htmlRowLimit = 50

    /// A terminal table: one line per row with its prediction and each feature's Shapley value.
    public func renderTable() -> String {
        var table = TerminalTable(title: "Shapley values (\(method.rawValue); base value \(NumberFormatting.format(baseValue, decimals: 4)))",
                                  headers: ["row", "prediction"] + features,
                                  alignments: [TextAlignment](repeating: .right, count: features.count + 2))
        for row in rows {
            table.addRow(["\(row.index)", NumberFormatting.format(row.prediction, decimals: 4)]
                + row.values.map { NumberFormatting.signed($0, decimals: 4) })
        }
        return table.render()
    }

    /// A self-contained HTML page: mean |SHAP| per feature, then per row a force-style bar chart (red bars raise the
    /// output, blue ones lower it). `label(i, j)` writes row i's value of feature j next to the feature name.
    public func renderHTML(title: String, label: (Int, Int) -> String? = { _, _ in nil }) -> String {
        var report = HTMLReport(
            title: title,
            subtitle: "Explained output: the model's positive-class probability",
            metadata: [
                .init("Method", method.rawValue + (samples.map { " (\($0) samples)" } ?? "")),
                .init("Rows", "\(rows.count)"), .init("Features", "\(features.count)"),
                .init("Base value E[f(background)]", NumberFormatting.format(baseValue, decimals: 4)),
            ])
        report.addSection("Summary: mean |SHAP| per feature")
        let means = meanAbsoluteValues
        let order = features.indices.sorted { means[$0] > means[$1] }
        report.addFigure(BarChart(
            title: "Mean |SHAP value| over \(rows.count) rows", bars: order.map { BarChart.Bar(features[$0], value: means[$0]) },
            domain: 0...max(means.max() ?? 0, 1e-12), decimals: 4))
        report.addSection("Per row")
        if rows.count > Self.htmlRowLimit {
            report.addCallout(Callout(.note, "The first \(Self.htmlRowLimit) of \(rows.count) rows are drawn; the JSON output has all."))
        }
        for row in rows.prefix(Self.htmlRowLimit) {
            let largest = max(row.values.map(abs).max() ?? 0, 1e-12)
            let bars = features.indices.sorted { abs(row.values[$0]) > abs(row.values[$1]) }.map { j in
                BarChart.Bar(label(row.index, j).map { "\(features[j]) = \($0)" } ?? features[j], value: row.values[j],
                             highlight: row.values[j] > 0)
            }
            report.addFigure(
                BarChart(title: "Row \(row.index): f(x) = \(NumberFormatting.format(row.prediction, decimals: 4))", bars: bars,
                         domain: -largest...largest, referenceLines: [.init(0, label: "base \(NumberFormatting.format(baseValue, decimals: 3))")],
                         decimals: 4, maxLabelColumns: 40),
                caption: "Highlighted bars raise the output above the base value, the others lower it; they sum to "
                    + NumberFormatting.signed(row.prediction - baseValue, decimals: 4) + ".")
        }
        return report.render()
    }
}

extension TextExplanation {
    /// A terminal table: one line per word.
    public func renderTable() -> String {
        var table = TerminalTable(
            title: "\(scorer): score \(NumberFormatting.format(prediction, decimals: 4)), base \(NumberFormatting.format(baseValue, decimals: 4)) "
                + "(\(method.rawValue)); AOPC deletion \(NumberFormatting.format(faithfulness.aopcDeletion, decimals: 4)), "
                + "insertion \(NumberFormatting.format(faithfulness.aopcInsertion, decimals: 4))",
            headers: ["word", "start", "value"], alignments: [.left, .right, .right])
        for word in words { table.addRow([word.text, "\(word.start)", NumberFormatting.signed(word.value, decimals: 4)]) }
        return table.render()
    }

    /// A self-contained HTML page: the highlighted text, the words' values as bars, and the faithfulness curves.
    public func renderHTML() -> String {
        var report = HTMLReport(
            title: "Why '\(scorer)' scored this text \(NumberFormatting.format(prediction, decimals: 3))",
            metadata: [
                .init("Method", method.rawValue), .init("Words", "\(words.count)"),
                .init("Score", NumberFormatting.format(prediction, decimals: 4)),
                .init(method == .lime ? "Surrogate intercept" : "Score with all words removed", NumberFormatting.format(baseValue, decimals: 4)),
            ])
        report.addSection("Highlighted text")
        report.addFigure(HighlightedText(title: "Word attributions", explanation: self),
                         caption: "Red words raise the score, blue words lower it; shade is proportional to |value|.")
        let largest = max(words.map { abs($0.value) }.max() ?? 0, 1e-12)
        report.addFigure(BarChart(
            title: "Attribution per word", bars: words.map { BarChart.Bar($0.text, value: $0.value, highlight: $0.value > 0) },
            domain: -largest...largest, decimals: 4, maxLabelColumns: 30))
        report.addSection("Faithfulness")
        report.addCards([
            SummaryCard("AOPC deletion", value: NumberFormatting.format(faithfulness.aopcDeletion, decimals: 4),
                        detail: "mean drop in score removing the top-k words"),
            SummaryCard("AOPC insertion", value: NumberFormatting.format(faithfulness.aopcInsertion, decimals: 4),
                        detail: "mean rise in score inserting the top-k words"),
        ])
        report.addFigure(LineChart(
            title: "Score as the top-k words are removed (deletion) or inserted (insertion)",
            series: [
                .init("deletion", pairs: faithfulness.deletion.enumerated().map { (Double($0.offset), $0.element) }),
                .init("insertion", pairs: faithfulness.insertion.enumerated().map { (Double($0.offset), $0.element) }),
            ], xLabel: "k (words)", yLabel: "score"))
        return report.render()
    }
}
