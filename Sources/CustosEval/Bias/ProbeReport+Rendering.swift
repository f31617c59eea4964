import CustosReport
import Foundation

extension ProbeReport {
    /// A terminal summary: per score, the group means with intervals and the pairwise tests.
    public func renderText() -> String {
        var lines = [
            "Counterfactual probe of \(target)",
            "\(done) of \(total) completions (\(samples) per filled prompt), \(failed) failed; tokens \(promptTokens) prompt + "
                + "\(completionTokens) completion; \(String(format: "%.1f", callSeconds)) s of calls",
        ]
        for score in scores {
            lines.append("")
            var table = TerminalTable(
                title: "\(score.score): mean per group (\(Int(score.comparison.confidence * 100))% bootstrap interval)",
                headers: ["group", "n", "mean", "interval"], alignments: [.left, .right, .right, .right])
            for group in score.comparison.groups {
                table.rows.append([group.name, String(group.count), NumberFormatting.format(group.mean, decimals: 3),
                                   Self.interval(group.lower, group.upper)])
            }
            lines.append(table.render())
            for d in score.comparison.differences {
                lines.append("  \(d.first) − \(d.second): \(NumberFormatting.signed(d.difference, decimals: 3)), permutation p = \(String(format: "%.4f", d.pValue))"
                    + (d.pValue < 0.05 ? " *" : ""))
            }
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("Failed after every retry (rerun the same command to try them again):")
            for failure in failures.prefix(20) { lines.append("  \(failure.key): \(failure.error) (\(failure.attempts) calls)") }
            if failures.count > 20 { lines.append("  … and \(failures.count - 20) more") }
        }
        return lines.joined(separator: "\n")
    }

    /// A self-contained HTML report with one chart per score.
    public func renderHTML(generatedAt: Date? = Date()) -> String {
        var report = HTMLReport(
            title: "Counterfactual probe", subtitle: target,
            metadata: [.init("Completions", "\(done) of \(total) (\(samples) per filled prompt), \(failed) failed"),
                       .init("Tokens", "\(promptTokens) prompt, \(completionTokens) completion")],
            generatedAt: generatedAt)
        report.addParagraph(
            "Every prompt template is filled with each group's phrases and sampled repeatedly; each completion is scored, and the "
                + "groups' mean scores are compared: percentile bootstrap intervals, and a two-sided permutation test per pair (* p < 0.05).")
        for score in scores {
            report.addSection(score.score)
            let upper = max(1, score.comparison.groups.compactMap(\.upper).max() ?? 1)
            let lower = min(0, score.comparison.groups.compactMap(\.lower).min() ?? 0)
            report.addFigure(BarChart(
                title: "Mean \(score.score) per group",
                bars: score.comparison.groups.map { group in
                    let interval = group.lower.flatMap { lower in group.upper.map { lower...max(lower, $0) } }
                    return BarChart.Bar(group.name, value: group.mean, interval: interval)
                },
                domain: lower...upper, decimals: 3))
            var table = HTMLTable(columns: [.init("Pair"), .init("Difference", numeric: true), .init("Permutation p", numeric: true)])
            for d in score.comparison.differences {
                table.rows.append([HTMLTable.Cell("\(d.first) − \(d.second)"), .number(d.difference, decimals: 3),
                                   .number(d.pValue, decimals: 4, flag: d.pValue < 0.05)])
            }
            report.addTable(table)
        }
        if !failures.isEmpty {
            report.addSection("Failures")
            report.addCallout(Callout(.warning, "\(failures.count) completions failed after every retry; rerun the same command to try them again."))
            report.addBullets(failures.prefix(50).map { "\($0.key): \($0.error) (\($0.attempts) calls)" })
        }
        try? report.addJSON(self)
        return report.render()
    }

    private static func interval(_ lower: Double?, _ upper: Double?) -> String {
        guard let lower, let upper else { return "—" }
        return "[\(NumberFormatting.format(lower, decimals: 3)), \(NumberFormatting.format(upper, decimals: 3))]"
    }
}
