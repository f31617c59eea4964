import CustosCore
import Foundation

/// The fairness audit as one call: a table and column names in, a report out.
public enum FairnessAudit {
    /// What to audit.
    public struct Request: Sendable {
        /// The data.
        public var table: Table
        /// Where it came from (for the report).
        public var source: String
        /// Truth column.
        public var label: String
        /// Prediction column.
        public var prediction: String
        /// Optional score column.
        public var score: String?
        /// Sensitive columns.
        public var sensitive: [String]
        /// Positive value for non-binary columns.
        public var positiveLabel: String?

        /// Creates a request.
        public init(table: Table, source: String, label: String, prediction: String, score: String?,
                    sensitive: [String], positiveLabel: String?) {
            self.table = table
            self.source = source
            self.label = label
            self.prediction = prediction
            self.score = score
            self.sensitive = sensitive
            self.positiveLabel = positiveLabel
        }
    }

    /// Runs the audit.
    public static func run(_ request: Request, options: MetricFrameOptions) throws -> AuditReport {
        let table = request.table
        guard table.rowCount > 0 else {
            throw CustosError(.invalidInput, "the file has a header but no rows", at: SourceLocation(file: request.source))
        }
        var seen = Set<String>()
        for name in request.sensitive where !seen.insert(name).inserted {
            throw CustosError(.usage, "sensitive column '\(name)' is listed twice")
        }
        let outcomes = try BinaryOutcomes(
            table: table, label: request.label, prediction: request.prediction, score: request.score,
            positiveLabel: request.positiveLabel)
        let attributes = try request.sensitive.map { try SensitiveAttribute(table: table, column: $0) }
        let frame: MetricFrame
        do {
            frame = try MetricFrame(outcomes, sensitive: attributes, options: options)
        } catch let error as CustosError {
            throw error.inFile(request.source)
        }
        return AuditReport(frame: frame, input: AuditReport.Input(
            source: request.source, rows: table.rowCount, label: request.label, prediction: request.prediction,
            score: request.score, positiveLabel: request.positiveLabel, sensitive: request.sensitive))
    }

    /// Name of the derived prediction column of the COMPAS audit table.
    public static let compasPredictionColumn = "decile_score_ge_5"

    /// The decile score at or above which COMPAS counts as predicting recidivism (ProPublica's
    /// "medium or high risk" cut, equal to score_text ≠ Low).
    public static let compasHighRiskDecile = 5.0

    /// The filtered COMPAS table with the prediction column `decile_score_ge_5` (1 when
    /// decile_score ≥ 5) added; truth is `two_year_recid`.
    public static func compasAuditTable(home: CustosHome) throws -> Table {
        let table = try Datasets.compas(home: home)
        let decile = try table.column(named: "decile_score").doubles()
        let prediction = decile.map { $0.map { $0 >= compasHighRiskDecile ? 1 : 0 } }
        return try table.adding(Column(name: compasPredictionColumn, values: .int(prediction)))
    }
}

extension AuditReport {
    /// The report as JSON in the documented schema.
    public func json(pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw CustosError(.internal, "cannot encode the report: \(error)")
        }
    }
}
