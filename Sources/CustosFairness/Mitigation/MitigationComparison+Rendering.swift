import CustosReport
import Foundation

extension MitigationComparison {
    /// A terminal table: one row per mitigation.
    public static func renderText(_ outcomes: [MitigationOutcome], title: String) -> String {
        var table = TerminalTable(
            title: title, headers: ["Mitigation", "Accuracy", "DP difference", "EO difference", "Seconds"],
            alignments: [.left, .right, .right, .right, .right])
        for o in outcomes {
            table.addRow([o.mitigation, NumberFormatting.format(o.accuracy, decimals: 4),
                          NumberFormatting.format(o.demographicParityDifference, decimals: 4),
                          NumberFormatting.format(o.equalizedOddsDifference, decimals: 4),
                          NumberFormatting.format(o.seconds, decimals: 2)])
        }
        return table.render()
    }

    /// A self-contained HTML page: the accuracy–disparity plot (one marker per mitigation, for demographic parity
    /// and for equalized odds) and the table.
    public static func renderHTML(_ outcomes: [MitigationOutcome], title: String, subtitle: String, generatedAt: Date? = Date()) throws -> String {
        var report = HTMLReport(title: title, subtitle: subtitle, generatedAt: generatedAt)
        report.addSection("Accuracy against disparity")
        report.addParagraph("Each marker is one mitigation on the test split; further left is fairer, higher is more accurate. "
            + "Randomized classifiers (exponentiated gradient, threshold optimizer) are scored by their expected predictions.")
        for (name, keyPath) in [("Demographic parity difference", \MitigationOutcome.demographicParityDifference),
                                ("Equalized odds difference", \MitigationOutcome.equalizedOddsDifference)] {
            let chart = LineChart(
                title: "Accuracy vs \(name.lowercased())",
                series: outcomes.map { LineChart.Series($0.mitigation, pairs: [($0[keyPath: keyPath], $0.accuracy)]) },
                xLabel: name, yLabel: "Accuracy")
            report.addFigure(chart, caption: "Accuracy against \(name.lowercased()) per mitigation.")
        }
        report.addSection("Results")
        var table = HTMLTable(columns: [
            .init("Mitigation"), .init("Accuracy", numeric: true), .init("DP difference", numeric: true),
            .init("EO difference", numeric: true), .init("Seconds", numeric: true),
        ])
        for o in outcomes {
            table.addRow([HTMLTable.Cell(o.mitigation), .number(o.accuracy, decimals: 4), .number(o.demographicParityDifference, decimals: 4),
                          .number(o.equalizedOddsDifference, decimals: 4), .number(o.seconds, decimals: 2)])
        }
        report.addTable(table)
        try report.addJSON(outcomes)
        return report.render()
    }
}
