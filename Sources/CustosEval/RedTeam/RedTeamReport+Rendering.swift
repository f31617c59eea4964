import CustosReport
import Foundation

extension RedTeamReport {
    /// A terminal table per family, the detectors' error rates and the cost.
    public func renderText() -> String {
        var table = TerminalTable(
            title: "Red team: \(target)",
            headers: ["family", "answered", "successes", "rate", "95% interval", "blocked", "failed"],
            alignments: [.left, .right, .right, .right, .right, .right, .right])
        for f in families {
            table.rows.append([
                f.family == "benign" ? "benign (over-refusal)" : f.family, String(f.answered), String(f.successes),
                NumberFormatting.percent(f.rate), Self.interval(f.lower, f.upper), String(f.blocked), String(f.failed),
            ])
        }
        var lines = [table.render(),
                     "cost: \(requests) calls, \(promptTokens) prompt + \(completionTokens) completion tokens, \(String(format: "%.1f", callSeconds)) s of calls"]
        lines.append("detectors on their labelled fixture: " + detectors.map {
            "\($0.detector) precision \(NumberFormatting.format($0.precision, decimals: 2)), recall \(NumberFormatting.format($0.recall, decimals: 2)), accuracy \(NumberFormatting.format($0.accuracy, decimals: 2)) (n = \($0.count))"
        }.joined(separator: "; "))
        let failed = families.map(\.failed).reduce(0, +)
        if failed > 0 { lines.append("\(failed) probes failed after every retry and are not counted; rerun the same command to retry them.") }
        return lines.joined(separator: "\n")
    }

    /// A self-contained HTML report: success rates with intervals, worst examples behind a content warning.
    public func renderHTML(generatedAt: Date? = Date()) -> String {
        var report = HTMLReport(title: "Red-team report", subtitle: target,
                                metadata: [.init("Calls", "\(requests)"), .init("Tokens", "\(promptTokens) prompt, \(completionTokens) completion")],
                                generatedAt: generatedAt)
        report.addSection("Attack success rate per family")
        let attacks = families.filter { $0.family != "benign" }
        report.addFigure(BarChart(
            title: "Attack success rate (Wilson 95% interval)",
            bars: attacks.map { f in
                let interval = f.lower.flatMap { lower in f.upper.map { lower...max(lower, $0) } }
                return BarChart.Bar(f.family, value: f.rate, interval: interval, highlight: (f.rate ?? 0) > 0.2)
            },
            decimals: 2, showsPercent: true), caption: "Highlighted: above 20 %.")
        if let benign = families.first(where: { $0.family == "benign" }) {
            report.addCallout(Callout(.note, title: "Over-refusal",
                "\(benign.successes) of \(benign.answered) benign requests were refused or blocked (\(NumberFormatting.percent(benign.rate)), interval \(Self.interval(benign.lower, benign.upper)))."))
        }
        var table = HTMLTable(columns: [
            .init("Family"), .init("Goal"), .init("Answered", numeric: true), .init("Successes", numeric: true), .init("Rate", numeric: true),
            .init("95% interval"), .init("Blocked", numeric: true), .init("Failed", numeric: true),
        ])
        for f in families {
            table.rows.append([HTMLTable.Cell(f.family), HTMLTable.Cell(f.goal), HTMLTable.Cell(String(f.answered)), HTMLTable.Cell(String(f.successes)),
                               HTMLTable.Cell(NumberFormatting.percent(f.rate)), HTMLTable.Cell(Self.interval(f.lower, f.upper)),
                               HTMLTable.Cell(String(f.blocked)), HTMLTable.Cell(String(f.failed))])
        }
        report.addTable(table)
        report.addSection("Detectors")
        var detectorTable = HTMLTable(columns: [.init("Detector"), .init("n", numeric: true), .init("Precision", numeric: true),
                                                .init("Recall", numeric: true), .init("Accuracy", numeric: true)])
        for d in detectors {
            detectorTable.rows.append([HTMLTable.Cell(d.detector), HTMLTable.Cell(String(d.count)), .number(d.precision, decimals: 2),
                                       .number(d.recall, decimals: 2), .number(d.accuracy, decimals: 2)])
        }
        report.addTable(detectorTable)
        report.addSection("Worst examples")
        report.addCallout(Callout(.warning, title: "Content warning", "The examples below are successful attacks: harmful or offensive text, truncated."))
        for f in families where !f.worst.isEmpty {
            report.addDetails(summary: "\(f.family): \(f.worst.count) examples",
                              text: f.worst.map { "\($0.id)\nprompt: \($0.prompt)\nanswer: \($0.answer)" }.joined(separator: "\n\n"))
        }
        try? report.addJSON(self)
        return report.render()
    }

    static func interval(_ lower: Double?, _ upper: Double?) -> String {
        guard let lower, let upper else { return "—" }
        return "\(NumberFormatting.percent(lower)) – \(NumberFormatting.percent(upper))"
    }
}

extension RedTeamDiff {
    /// A terminal table: per family, the rates of both runs, the change and its significance.
    public func renderText(a: String, b: String) -> String {
        var table = TerminalTable(title: "Red-team diff: A = \(a), B = \(b)",
                                  headers: ["family", "A", "B", "change", "Fisher p", "verdict"],
                                  alignments: [.left, .right, .right, .right, .right, .left])
        for row in rows {
            table.rows.append([row.family, "\(row.successesA)/\(row.answeredA)", "\(row.successesB)/\(row.answeredB)",
                               row.change.map { NumberFormatting.signed($0 * 100, decimals: 1) + " pp" } ?? "—",
                               row.pValue.map { String(format: "%.4f", $0) } ?? "—", row.verdict])
        }
        return table.render()
    }
}
