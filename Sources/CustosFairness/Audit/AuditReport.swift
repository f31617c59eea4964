import CustosCore
import CustosML
import Foundation

/// The result of `custos fairness audit`, in the documented JSON schema (`docs/fairness-audit.md`).
public struct AuditReport: Sendable, Codable, Equatable {
    /// Version of this JSON schema.
    public static let schemaVersion = 1

    /// Inputs as given.
    public struct Input: Sendable, Codable, Equatable {
        /// File path or bundled data set name.
        public var source: String
        /// Rows evaluated.
        public var rows: Int
        /// Label column.
        public var label: String
        /// Prediction column.
        public var prediction: String
        /// Score column, if any.
        public var score: String?
        /// Value treated as positive (`nil`: the column was 0/1 or boolean).
        public var positiveLabel: String?
        /// Sensitive attributes as given.
        public var sensitive: [String]

        enum CodingKeys: String, CodingKey {
            case source, rows, label, prediction, score, sensitive
            case positiveLabel = "positive_label"
        }
    }

    /// Settings used.
    public struct Settings: Sendable, Codable, Equatable {
        /// Groups smaller than this are flagged.
        public var minimumGroupSize: Int
        /// Bootstrap resamples (0: no intervals).
        public var bootstrapResamples: Int
        /// Confidence level of intervals.
        public var confidenceLevel: Double
        /// Bootstrap seed.
        public var seed: UInt64
        /// Whether intersections were evaluated.
        public var intersections: Bool

        enum CodingKeys: String, CodingKey {
            case seed, intersections
            case minimumGroupSize = "minimum_group_size"
            case bootstrapResamples = "bootstrap_resamples"
            case confidenceLevel = "confidence_level"
        }
    }

    /// One group's entry.
    public struct Group: Sendable, Codable, Equatable {
        /// Attribute (`sex`, `sex+race`).
        public var attribute: String
        /// Group (`Female`, `Female+White`).
        public var group: String
        /// Rows in the group.
        public var count: Int
        /// Metric values; `null` when undefined.
        public var metrics: MetricValues
        /// Confidence intervals `[low, high]` per metric.
        public var ci: [String: [Double]]?
        /// Below the minimum group size.
        public var small: Bool
        /// Confusion counts.
        public var confusion: ConfusionCounts
        /// Calibration table (with a score in [0, 1]).
        public var calibration: [CalibrationBin]?
    }

    /// Everyone together.
    public struct Overall: Sendable, Codable, Equatable {
        /// Rows.
        public var count: Int
        /// Metric values.
        public var metrics: MetricValues
        /// Confidence intervals.
        public var ci: [String: [Double]]?
        /// Confusion counts.
        public var confusion: ConfusionCounts
        /// Calibration table.
        public var calibration: [CalibrationBin]?
    }

    /// Schema version.
    public var schemaVersion = AuditReport.schemaVersion
    /// Tool and version.
    public var generator = "custos \(CustosVersion.current)"
    /// Inputs.
    public var input: Input
    /// Settings.
    public var settings: Settings
    /// Everyone.
    public var overall: Overall
    /// Every group of every attribute.
    public var groups: [Group]
    /// Every criterion for every attribute.
    public var disparities: [Disparity]
    /// Human-readable warnings (small groups, undefined metrics, failed four-fifths rule).
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case input, settings, overall, groups, disparities, notes, generator
        case schemaVersion = "schema_version"
    }

    /// Builds the report from a computed frame.
    public init(frame: MetricFrame, input: Input) {
        self.input = input
        let o = frame.options
        settings = Settings(
            minimumGroupSize: o.minimumGroupSize, bootstrapResamples: o.bootstrapResamples,
            confidenceLevel: o.confidenceLevel, seed: o.seed, intersections: o.intersections)
        func ci(_ g: GroupResult) -> [String: [Double]]? {
            guard o.bootstrapResamples > 0 else { return nil }
            return Dictionary(uniqueKeysWithValues: g.ci.map { ($0.key.rawValue, $0.value) })
        }
        overall = Overall(
            count: frame.overall.count, metrics: frame.overall.metrics, ci: ci(frame.overall),
            confusion: frame.overall.counts, calibration: frame.overall.calibration)
        groups = frame.attributes.flatMap { attribute in
            attribute.groups.map { g in
                Group(attribute: g.attribute, group: g.group, count: g.count, metrics: g.metrics, ci: ci(g),
                      small: g.small, confusion: g.counts, calibration: g.calibration)
            }
        }
        disparities = frame.disparities
        var notes: [String] = []
        for g in groups where g.small {
            notes.append("\(g.attribute) = \(g.group): only \(g.count) rows (below \(o.minimumGroupSize)); its metrics are uncertain")
        }
        for g in groups {
            let undefined = g.metrics.metrics.filter { g.metrics[$0] == nil }.map(\.rawValue)
            if !undefined.isEmpty {
                notes.append("\(g.attribute) = \(g.group): \(undefined.joined(separator: ", ")) undefined (zero denominator)")
            }
        }
        for d in disparities where d.failsFourFifths == true {
            let ratio = d.ratio.map { String(format: "%.3f", $0) } ?? "?"
            notes.append("\(d.attribute): selection-rate ratio \(ratio) fails the four-fifths rule (\(d.lowestGroup ?? "?") vs \(d.highestGroup ?? "?"))")
        }
        self.notes = notes
    }
}
