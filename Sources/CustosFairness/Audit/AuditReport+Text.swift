import CustosReport

extension AuditReport {
    /// Metrics shown in the terminal table (the JSON and HTML reports carry all of them).
    static let terminalMetrics: [GroupMetric] = [.selectionRate, .baseRate, .accuracy, .tpr, .fpr, .ppv, .npv]

    /// The report as terminal tables: groups per attribute, then disparities, then notes.
    public func renderText() -> String {
        var out: [String] = []
        var header = "Fairness audit of \(input.source): \(input.rows) rows; label '\(input.label)'"
        header += ", prediction '\(input.prediction)'" + (input.score.map { ", score '\($0)'" } ?? "")
        out.append(header)
        if settings.bootstrapResamples > 0 {
            let level = Int((settings.confidenceLevel * 100).rounded())
            out.append("Intervals: \(level)% percentile bootstrap, \(settings.bootstrapResamples) resamples, seed \(settings.seed) (in --format json/html)")
        }
        let metrics = Self.terminalMetrics + (input.score != nil ? [.auc] : [])
        let headers = ["group", "n"] + metrics.map(\.rawValue)
        let alignments: [TextAlignment] = [.left] + Array(repeating: .right, count: metrics.count + 1)
        var attributes: [String] = []
        for group in groups where !attributes.contains(group.attribute) { attributes.append(group.attribute) }
        for attribute in attributes {
            var table = TerminalTable(title: attribute, headers: headers, alignments: alignments)
            table.addRow(["(overall)", "\(overall.count)"] + metrics.map { NumberFormatting.format(overall.metrics[$0], decimals: 3) })
            for group in groups where group.attribute == attribute {
                let name = group.small ? "\(group.group) (small)" : group.group
                table.addRow([name, "\(group.count)"] + metrics.map { NumberFormatting.format(group.metrics[$0], decimals: 3) })
            }
            out.append("")
            out.append(table.render())
        }
        var disparityTable = TerminalTable(
            title: "Disparities (difference = max − min, ratio = min / max over groups)",
            headers: ["attribute", "criterion", "difference", "ratio", "lowest", "highest", "flag"],
            alignments: [.left, .left, .right, .right, .left, .left, .left])
        for d in disparities {
            let flag = d.failsFourFifths == true ? "fails 4/5 rule" : ""
            disparityTable.addRow([
                d.attribute, d.metric.rawValue, NumberFormatting.format(d.difference, decimals: 3),
                NumberFormatting.format(d.ratio, decimals: 3), d.lowestGroup ?? "—", d.highestGroup ?? "—", flag,
            ])
        }
        out.append("")
        out.append(disparityTable.render())
        if !notes.isEmpty {
            out.append("")
            out.append("Notes:")
            out.append(contentsOf: notes.map { "  - \($0)" })
        }
        return out.joined(separator: "\n")
    }
}
