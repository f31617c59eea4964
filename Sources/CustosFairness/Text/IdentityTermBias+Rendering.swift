import CustosReport
import Foundation

extension IdentityTermBias {
    /// A terminal summary: overall figures, per-term table (worst BPSN AUC first), recommendations.
    public func renderText(title: String) -> String {
        var lines = [
            title,
            "examples \(count), threshold \(NumberFormatting.format(threshold, decimals: 3)), overall AUC \(NumberFormatting.format(overallAUC, decimals: 4)), "
                + "FPR \(NumberFormatting.percent(overallFalsePositiveRate)), FNR \(NumberFormatting.percent(overallFalseNegativeRate))",
            "generalized means (p = −5): subgroup AUC \(Self.mean(generalizedMeans["subgroup_auc"])), BPSN AUC \(Self.mean(generalizedMeans["bpsn_auc"])), "
                + "BNSP AUC \(Self.mean(generalizedMeans["bnsp_auc"])); final bias metric \(NumberFormatting.format(finalMetric, decimals: 4))",
            "",
        ]
        var table = TerminalTable(
            headers: ["identity", "category", "n", "FPR", "FNR", "mean benign score", "subgroup AUC", "BPSN AUC", "BNSP AUC"],
            alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
        for group in worstFirst {
            table.rows.append([
                group.identity, group.category, String(group.count), NumberFormatting.percent(group.falsePositiveRate),
                NumberFormatting.percent(group.falseNegativeRate), NumberFormatting.format(group.meanNonToxicScore, decimals: 3),
                NumberFormatting.format(group.subgroupAUC, decimals: 3), NumberFormatting.format(group.bpsnAUC, decimals: 3),
                NumberFormatting.format(group.bnspAUC, decimals: 3),
            ])
        }
        lines.append(table.render())
        if recommendations.isEmpty {
            lines.append("No identity term raises the false-positive rate more than \(Int(Self.fprMargin * 100)) points above the overall rate.")
        } else {
            lines.append("Term-aware thresholds (in-sample effect on the term's own templates):")
            for r in recommendations {
                lines.append("  \(r.identity): threshold \(NumberFormatting.format(r.threshold, decimals: 3)) — FPR \(NumberFormatting.percent(r.fprBefore)) → "
                    + "\(NumberFormatting.percent(r.fprAfter)), FNR \(NumberFormatting.percent(r.fnrBefore)) → \(NumberFormatting.percent(r.fnrAfter))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A self-contained HTML report with the per-term charts.
    public func renderHTML(title: String, metadata: [HTMLReport.Field], generatedAt: Date? = Date()) -> String {
        var report = HTMLReport(title: title, subtitle: "Identity-term audit (Dixon et al. 2018; Borkan et al. 2019)",
                                metadata: metadata, generatedAt: generatedAt)
        report.addSection("Summary")
        report.addCards([
            SummaryCard("Overall AUC", value: NumberFormatting.format(overallAUC, decimals: 3)),
            SummaryCard("Final bias metric", value: NumberFormatting.format(finalMetric, decimals: 3),
                        detail: "¼·AUC + ¼·(M₋₅ subgroup + BPSN + BNSP)", tone: (finalMetric ?? 0) < 0.9 ? .warning : .neutral),
            SummaryCard("Overall FPR", value: NumberFormatting.percent(overallFalsePositiveRate), detail: "benign templates flagged"),
            SummaryCard("Terms over the FPR margin", value: String(recommendations.count),
                        tone: recommendations.isEmpty ? .good : .bad),
        ])
        report.addParagraph(
            "Every template is filled with every identity term. BPSN AUC (benign texts with the term against toxic texts without it) "
                + "is low when the term alone raises the score; BNSP AUC (toxic texts with the term against benign texts without it) is low "
                + "when the term lowers it. Generalized means use p = −5, so the worst terms dominate.")
        let groups = worstFirst
        report.addSection("Per identity term")
        report.addFigure(BarChart(
            title: "False-positive rate on benign templates",
            bars: groups.map { BarChart.Bar($0.identity, value: $0.falsePositiveRate, highlight: ($0.falsePositiveRate ?? 0) > (overallFalsePositiveRate ?? 0) + Self.fprMargin) },
            referenceLines: [.init(overallFalsePositiveRate ?? 0, label: "overall")], decimals: 2, showsPercent: true),
            caption: "Highlighted: more than \(Int(Self.fprMargin * 100)) points above the overall false-positive rate.")
        report.addFigure(BarChart(
            title: "BPSN AUC",
            bars: groups.map { BarChart.Bar($0.identity, value: $0.bpsnAUC, highlight: ($0.bpsnAUC ?? 1) < (overallAUC ?? 1) - 0.05) },
            referenceLines: [.init(overallAUC ?? 1, label: "overall AUC")], decimals: 3))
        var table = HTMLTable(columns: [
            .init("Identity"), .init("Category"), .init("n", numeric: true), .init("FPR", numeric: true), .init("FNR", numeric: true),
            .init("Mean benign score", numeric: true), .init("Subgroup AUC", numeric: true), .init("BPSN AUC", numeric: true),
            .init("BNSP AUC", numeric: true),
        ])
        for group in groups {
            table.rows.append([
                HTMLTable.Cell(group.identity), HTMLTable.Cell(group.category), HTMLTable.Cell(String(group.count)),
                HTMLTable.Cell(NumberFormatting.percent(group.falsePositiveRate)), HTMLTable.Cell(NumberFormatting.percent(group.falseNegativeRate)),
                .number(group.meanNonToxicScore, decimals: 3), .number(group.subgroupAUC, decimals: 3),
                .number(group.bpsnAUC, decimals: 3, flag: (group.bpsnAUC ?? 1) < (overallAUC ?? 1) - 0.05), .number(group.bnspAUC, decimals: 3),
            ])
        }
        report.addTable(table)
        report.addSection("Recommendations")
        if recommendations.isEmpty {
            report.addParagraph("No identity term raises the false-positive rate more than \(Int(Self.fprMargin * 100)) points above the overall rate.")
        } else {
            report.addParagraph("Term-aware thresholds: texts that mention the term are compared with a raised threshold. The effect is measured "
                + "on the same templates (in-sample): it shows the trade-off between the term's false positives and false negatives.")
            var recommended = HTMLTable(columns: [
                .init("Identity"), .init("Threshold", numeric: true), .init("FPR before", numeric: true), .init("FPR after", numeric: true),
                .init("FNR before", numeric: true), .init("FNR after", numeric: true),
            ])
            for r in recommendations {
                recommended.rows.append([
                    HTMLTable.Cell(r.identity), .number(r.threshold, decimals: 3), HTMLTable.Cell(NumberFormatting.percent(r.fprBefore)),
                    HTMLTable.Cell(NumberFormatting.percent(r.fprAfter)), HTMLTable.Cell(NumberFormatting.percent(r.fnrBefore)),
                    HTMLTable.Cell(NumberFormatting.percent(r.fnrAfter)),
                ])
            }
            report.addTable(recommended)
        }
        try? report.addJSON(self)
        return report.render()
    }

    /// Subgroups by BPSN AUC, lowest first (undefined last).
    var worstFirst: [Subgroup] {
        subgroups.sorted { ($0.bpsnAUC ?? .infinity, $0.identity) < ($1.bpsnAUC ?? .infinity, $1.identity) }
    }

    private static func mean(_ value: Double??) -> String {
        NumberFormatting.format(value ?? nil, decimals: 4)
    }
}
