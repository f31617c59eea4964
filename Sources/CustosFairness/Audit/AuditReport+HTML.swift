import CustosReport
import Foundation

extension AuditReport {
    /// Metrics charted per attribute in the HTML report, in order.
    static let chartedMetrics: [GroupMetric] = [.selectionRate, .tpr, .fpr, .ppv, .accuracy, .auc]

    /// A self-contained HTML report: summary cards, disparity table, per-attribute bar charts with
    /// confidence intervals and reference lines, group tables, calibration curves, notes, raw JSON.
    public func renderHTML(generatedAt: Date? = Date()) -> String {
        var report = HTMLReport(
            title: "Fairness audit",
            subtitle: "\(input.source) — \(input.rows) rows",
            metadata: [
                .init("Label", input.label + (input.positiveLabel.map { " (positive: \($0))" } ?? "")),
                .init("Prediction", input.prediction),
                .init("Score", input.score ?? "—"),
                .init("Sensitive", input.sensitive.joined(separator: ", ") + (settings.intersections ? " (+ intersections)" : "")),
                .init("Intervals", settings.bootstrapResamples > 0
                    ? "\(Int((settings.confidenceLevel * 100).rounded()))% bootstrap, \(settings.bootstrapResamples) resamples, seed \(settings.seed)"
                    : "none"),
                .init("Generator", generator),
            ],
            generatedAt: generatedAt)

        let attributes = attributeNames
        report.addSection("Summary")
        var cards: [SummaryCard] = []
        for attribute in attributes {
            if let impact = disparity(.disparateImpact, attribute) {
                let fails = impact.failsFourFifths == true
                cards.append(SummaryCard(
                    "Disparate impact · \(attribute)", value: NumberFormatting.format(impact.ratio, decimals: 2),
                    detail: fails ? "fails the four-fifths rule" : "passes the four-fifths rule", tone: fails ? .bad : .good))
            }
            if let odds = disparity(.equalizedOdds, attribute) {
                cards.append(SummaryCard(
                    "Equalized odds difference · \(attribute)", value: NumberFormatting.format(odds.difference, decimals: 3),
                    detail: "\(odds.lowestGroup ?? "—") vs \(odds.highestGroup ?? "—")",
                    tone: (odds.difference ?? 0) > 0.1 ? .warning : .neutral))
            }
        }
        report.addCards(cards)
        report.addParagraph(
            "Overall accuracy \(NumberFormatting.format(overall.metrics[.accuracy], decimals: 3)), selection rate "
                + "\(NumberFormatting.format(overall.metrics[.selectionRate], decimals: 3)), base rate "
                + "\(NumberFormatting.format(overall.metrics[.baseRate], decimals: 3)) over \(overall.count) rows.")
        for note in notes where note.contains("four-fifths") {
            report.addCallout(Callout(.danger, title: "Four-fifths rule", note))
        }

        report.addSection("Disparities")
        report.addParagraph(
            "Difference is max − min and ratio is min / max of the criterion's metric over groups where it is defined "
                + "(equalized odds: the larger of the TPR and FPR differences and the smaller of their ratios). 0 and 1 mean parity.")
        var table = HTMLTable(columns: [
            .init("Attribute"), .init("Criterion"), .init("Difference", numeric: true), .init("Interval"),
            .init("Ratio", numeric: true), .init("Lowest"), .init("Highest"),
        ])
        for d in disparities {
            let interval = d.differenceCI.map { "[\(NumberFormatting.format($0[0], decimals: 3)), \(NumberFormatting.format($0[1], decimals: 3))]" } ?? "—"
            table.addRow([
                .init(d.attribute), .init(d.metric.title),
                .number(d.difference, decimals: 3), .init(interval, cssClass: "muted"),
                .number(d.ratio, decimals: 3, flag: d.failsFourFifths == true),
                .init(d.lowestGroup ?? "—"), .init(d.highestGroup ?? "—"),
            ])
        }
        report.addTable(table)

        for attribute in attributes {
            let members = groups.filter { $0.attribute == attribute }
            report.addSection("By \(attribute)")
            for group in members where group.small {
                report.addCallout(Callout(
                    .warning, title: "Small group",
                    "\(group.group) has only \(group.count) rows (minimum \(settings.minimumGroupSize)): its figures are uncertain."))
            }
            for metric in Self.chartedMetrics where overall.metrics.metrics.contains(metric) {
                let bars = members.map { group in
                    BarChart.Bar(
                        group.group, value: group.metrics[metric],
                        interval: group.ci?[metric.rawValue].map { $0[0]...$0[1] },
                        highlight: group.small,
                        note: group.small ? "small group (\(group.count) rows)" : "\(group.count) rows")
                }
                var lines: [BarChart.ReferenceLine] = []
                if let value = overall.metrics[metric] { lines.append(.init(value, label: "overall")) }
                report.addFigure(
                    BarChart(title: "\(metric.title) by \(attribute)", bars: bars, referenceLines: lines, decimals: 3),
                    caption: settings.bootstrapResamples > 0 ? "Whiskers: \(Int((settings.confidenceLevel * 100).rounded()))% bootstrap interval." : nil)
            }
            if disparity(.disparateImpact, attribute) != nil, let maxRate = members.compactMap({ $0.metrics[.selectionRate] }).max(), maxRate > 0 {
                let bars = members.map { group in
                    let ratio = group.metrics[.selectionRate].map { $0 / maxRate }
                    return BarChart.Bar(group.group, value: ratio, highlight: (ratio ?? 1) < fourFifthsThreshold)
                }
                report.addFigure(
                    BarChart(title: "Selection rate relative to the highest group (\(attribute))", bars: bars,
                             referenceLines: [.init(fourFifthsThreshold, label: "four-fifths")], decimals: 2),
                    caption: "Groups below 0.8 fail the four-fifths rule.")
            }
            var groupTable = HTMLTable(columns: [.init("Group"), .init("n", numeric: true)]
                + overall.metrics.metrics.map { HTMLTable.Column($0.rawValue, numeric: true) })
            for group in members {
                groupTable.addRow(
                    [.init(group.group, cssClass: group.small ? "flag" : nil), .init("\(group.count)")]
                        + group.metrics.metrics.map { metric in
                            let cell = HTMLTable.Cell.number(group.metrics[metric], decimals: 3)
                            guard let ci = group.ci?[metric.rawValue] else { return cell }
                            return .init(cell.text, cssClass: cell.cssClass,
                                         tooltip: "[\(NumberFormatting.format(ci[0], decimals: 3)), \(NumberFormatting.format(ci[1], decimals: 3))]")
                        })
            }
            report.addTable(groupTable)
            let curves = members.compactMap { group -> LineChart.Series? in
                guard let bins = group.calibration else { return nil }
                let points = bins.compactMap { bin -> LineChart.Point? in
                    guard let x = bin.meanScore, let y = bin.observedRate, bin.count >= 5 else { return nil }
                    return LineChart.Point(x: x, y: y)
                }
                return points.isEmpty ? nil : LineChart.Series(group.group, points: points)
            }
            if !curves.isEmpty {
                report.addFigure(
                    LineChart(title: "Calibration by \(attribute)", series: curves, xLabel: "mean predicted score",
                              yLabel: "observed positive rate", xDomain: 0...1, yDomain: 0...1, showsDiagonal: true),
                    caption: "Ten equal-width score bins (bins with fewer than 5 rows omitted); the diagonal is perfect calibration.")
            }
        }

        report.addSection("Method and notes")
        report.addParagraph(
            "Metrics follow Fairlearn's definitions; a metric whose denominator is zero for a group is undefined (—), never 0. "
                + "Intervals are percentile bootstrap intervals over whole-data resamples with replacement.")
        let otherNotes = notes.filter { !$0.contains("four-fifths") }
        if !otherNotes.isEmpty { report.addBullets(otherNotes) }
        try? report.addJSON(self, summary: "Raw JSON (schema version \(schemaVersion))")
        return report.render()
    }

    /// Attribute names in report order.
    var attributeNames: [String] {
        var names: [String] = []
        for group in groups where !names.contains(group.attribute) { names.append(group.attribute) }
        return names
    }

    func disparity(_ criterion: FairnessCriterion, _ attribute: String) -> Disparity? {
        disparities.first { $0.metric == criterion && $0.attribute == attribute }
    }
}
