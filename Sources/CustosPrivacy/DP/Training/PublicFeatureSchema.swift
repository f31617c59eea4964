import CustosCore
import CustosML
import Foundation

/// The features of a DP model, declared in advance from public knowledge — never fitted to the private data.
///
/// A standard scaler fitted to the training data would release its means and deviations through the saved model,
/// and one-hot categories read from the data would reveal which values occur (a rare category can identify a
/// person). Here each numeric column comes with public bounds [lower, upper], mapped linearly onto [−1, 1] (saved as a
/// `standard_scaler` step with mean (lower + upper)/2 and scale (upper − lower)/2, so `custos fairness predict`
/// reads the model), and each categorical column with its declared levels. Values outside the bounds are not
/// clamped: privacy does not depend on them, because every example's gradient is clipped.
///
/// JSON: `{"numeric": [{"column": "age", "lower": 0, "upper": 100}], "categorical": [{"column": "sex", "levels": ["Female", "Male"]}]}`.
public struct PublicFeatureSchema: Sendable, Hashable, Codable {
    /// A numeric column and its public bounds.
    public struct NumericFeature: Sendable, Hashable, Codable {
        /// Column name.
        public var column: String
        /// Public lower bound.
        public var lower: Double
        /// Public upper bound (> lower).
        public var upper: Double

        /// Creates a numeric feature.
        public init(column: String, lower: Double, upper: Double) {
            self.column = column
            self.lower = lower
            self.upper = upper
        }
    }

    /// A categorical column and its declared levels (other values encode as all zeros).
    public struct CategoricalFeature: Sendable, Hashable, Codable {
        /// Column name.
        public var column: String
        /// The declared levels, one indicator each, in this order.
        public var levels: [String]

        /// Creates a categorical feature.
        public init(column: String, levels: [String]) {
            self.column = column
            self.levels = levels
        }
    }

    /// Numeric features, in output order.
    public var numeric: [NumericFeature]
    /// Categorical features, after the numeric ones.
    public var categorical: [CategoricalFeature]

    /// Creates a schema.
    public init(numeric: [NumericFeature], categorical: [CategoricalFeature] = []) {
        self.numeric = numeric
        self.categorical = categorical
    }

    enum CodingKeys: String, CodingKey { case numeric, categorical }

    /// Decodes `{"numeric": […], "categorical": […]}`; either list may be absent (empty).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        numeric = try container.decodeIfPresent([NumericFeature].self, forKey: .numeric) ?? []
        categorical = try container.decodeIfPresent([CategoricalFeature].self, forKey: .categorical) ?? []
    }

    /// Reads a schema file; errors name the file and what is wrong.
    public static func load(_ path: String) throws -> PublicFeatureSchema {
        let schema: PublicFeatureSchema
        do {
            schema = try JSONDecoder().decode(PublicFeatureSchema.self, from: Data(try FileInput.readBytes(path)))
        } catch let error as DecodingError {
            throw CustosError(.invalidInput, "malformed feature schema (expected {\"numeric\": [{\"column\", \"lower\", \"upper\"}], "
                              + "\"categorical\": [{\"column\", \"levels\"}]}): \(Self.describe(error))", at: SourceLocation(file: path))
        }
        do { try schema.validate() } catch let error as CustosError { throw error.inFile(path) }
        return schema
    }

    /// A decoding error as the JSON path it concerns and what was wrong there.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined() }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Checks bounds (finite, lower < upper), levels (non-empty, distinct) and that no column appears twice.
    public func validate() throws {
        guard !numeric.isEmpty || !categorical.isEmpty else { throw CustosError(.invalidInput, "the feature schema declares no features") }
        let columns = numeric.map(\.column) + categorical.map(\.column)
        if let repeated = columns.first(where: { name in columns.filter { $0 == name }.count > 1 }) {
            throw CustosError(.invalidInput, "the feature schema declares column '\(repeated)' twice")
        }
        for feature in numeric {
            guard feature.lower.isFinite, feature.upper.isFinite, feature.lower < feature.upper else {
                throw CustosError(.invalidInput, "the bounds of '\(feature.column)' must be finite with lower < upper, got [\(feature.lower), \(feature.upper)]")
            }
        }
        for feature in categorical {
            guard !feature.levels.isEmpty, Set(feature.levels).count == feature.levels.count else {
                throw CustosError(.invalidInput, "the levels of '\(feature.column)' must be non-empty and distinct")
            }
        }
    }

    /// The preprocessing this schema declares (nothing is fitted).
    public func pipeline() throws -> FeaturePipeline {
        try validate()
        let scalers = numeric.map { feature in
            PreprocessingStep.standardize(column: feature.column, mean: feature.lower / 2 + feature.upper / 2,
                                          scale: feature.upper / 2 - feature.lower / 2)
        }
        return FeaturePipeline(steps: scalers + categorical.map { .oneHot(column: $0.column, categories: $0.levels) })
    }
}

/// A table turned into a design matrix and binary labels for DP training.
public struct DPTrainingData: Sendable {
    /// The design matrix.
    public var x: DenseMatrix
    /// `true` where the label equals the positive value.
    public var labels: [Bool]

    /// Reads `label` (rows equal to `positive` are positive; any other present value is negative; a missing label is
    /// an error naming the row) and transforms the features with `pipeline`; refuses an empty table.
    public init(_ table: Table, label: String, positive: String, pipeline: FeaturePipeline) throws {
        guard table.rowCount > 0 else {
            throw CustosError(.invalidInput, "the data has no rows", at: table.source.map { SourceLocation(file: $0) })
        }
        let column = try table.column(named: label)
        var labels = [Bool](repeating: false, count: table.rowCount)
        for i in 0..<table.rowCount {
            guard let value = column.string(at: i) else {
                throw CustosError(.invalidInput, "missing label", at: table.location(row: i, column: label))
            }
            labels[i] = value == positive
        }
        self.labels = labels
        x = try pipeline.transform(table)
    }

    /// The raw-feature pipeline of a table without a schema: every column except `label`, each of which must be
    /// numeric (used as it is — scaling it with statistics of the private data would leak them).
    public static func rawPipeline(_ table: Table, label: String) throws -> FeaturePipeline {
        _ = try table.column(named: label)
        let features = table.columns.filter { $0.name != label }
        guard !features.isEmpty else { throw CustosError(.invalidInput, "the data has no feature columns besides '\(label)'") }
        for column in features where column.type == .string {
            if let row = (0..<column.count).first(where: { !column.isMissing($0) && column.double(at: $0) == nil }) {
                throw CustosError(.invalidInput, "column '\(column.name)' has the non-numeric value '\(column.string(at: row) ?? "")'; "
                                  + "declare categorical columns and numeric bounds with --schema", at: table.location(row: row, column: column.name))
            }
        }
        return FeaturePipeline(rawColumns: features.map(\.name))
    }
}
