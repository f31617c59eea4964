import CustosCore
import Foundation

/// One fitted step of a `FeaturePipeline`, saved with the model so prediction applies exactly what training did.
public enum PreprocessingStep: Sendable, Equatable, Codable {
    /// `(x − mean) / scale` of a numeric column (scikit-learn's `StandardScaler`, population standard deviation;
    /// a constant column gets scale 1, as scikit-learn does, so it maps to 0 instead of dividing by zero).
    case standardize(column: String, mean: Double, scale: Double)
    /// One indicator per category seen in training, sorted (scikit-learn's `OneHotEncoder`); a category not seen
    /// in training maps to all zeros (`handle_unknown="ignore"`).
    case oneHot(column: String, categories: [String])

    /// The input column this step reads.
    public var column: String {
        switch self {
        case .standardize(let column, _, _), .oneHot(let column, _): return column
        }
    }

    /// Output feature names, named as scikit-learn's `ColumnTransformer` names them (`num__age`, `cat__sex_Female`).
    public var featureNames: [String] {
        switch self {
        case .standardize(let column, _, _): return ["num__\(column)"]
        case .oneHot(let column, let categories): return categories.map { "cat__\(column)_\($0)" }
        }
    }

    /// Fits a standard scaler to a numeric column; missing or non-finite values are errors naming the row.
    public static func fitStandardizer(_ table: Table, column name: String) throws -> PreprocessingStep {
        let values = try numericValues(table, column: name)
        let n = Double(values.count)
        guard n > 0 else { throw CustosError(.invalidInput, "column '\(name)' has no rows") }
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let deviation = variance.squareRoot()
        // scikit-learn's `_handle_zeros_in_scale`: scales below 10·ε·|mean| count as zero and become 1.
        let scale = deviation < 10 * Double.ulpOfOne * max(abs(mean), 1) ? 1 : deviation
        return .standardize(column: name, mean: mean, scale: scale)
    }

    /// Fits a one-hot encoder to a column read as text; missing values are errors naming the row.
    public static func fitOneHot(_ table: Table, column name: String) throws -> PreprocessingStep {
        let column = try table.column(named: name)
        if let row = (0..<column.count).first(where: { column.isMissing($0) }) {
            throw CustosError(.invalidInput, "missing value in categorical column '\(name)'", at: table.location(row: row, column: name))
        }
        return .oneHot(column: name, categories: column.distinctStrings())
    }

    /// Writes this step's features for every row into `out` starting at column `offset`.
    func transform(_ table: Table, into out: inout DenseMatrix, offset: Int) throws {
        switch self {
        case .standardize(let name, let mean, let scale):
            let values = try Self.numericValues(table, column: name)
            for i in 0..<values.count { out[i, offset] = (values[i] - mean) / scale }
        case .oneHot(let name, let categories):
            let column = try table.column(named: name)
            var index: [String: Int] = [:]
            for (k, category) in categories.enumerated() { index[category] = k }
            for i in 0..<column.count {
                guard let value = column.string(at: i) else {
                    throw CustosError(.invalidInput, "missing value in categorical column '\(name)'", at: table.location(row: i, column: name))
                }
                if let k = index[value] { out[i, offset + k] = 1 }
            }
        }
    }

    /// A numeric column's values; missing or non-finite values are errors naming row and column.
    static func numericValues(_ table: Table, column name: String) throws -> [Double] {
        let column = try table.column(named: name)
        let values: [Double?]
        do { values = try column.doubles() } catch let error as CustosError { throw table.locate(error) }
        var out = [Double](repeating: 0, count: values.count)
        for (i, value) in values.enumerated() {
            guard let value, value.isFinite else {
                throw CustosError(.invalidInput, values[i] == nil ? "missing value in numeric column '\(name)'" : "value is not finite",
                                  at: table.location(row: i, column: name))
            }
            out[i] = value
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case kind, column, mean, scale, categories }

    /// Encodes as `{"kind": "standard_scaler" | "one_hot", "column": …, …}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .standardize(let column, let mean, let scale):
            try container.encode("standard_scaler", forKey: .kind)
            try container.encode(column, forKey: .column)
            try container.encode(mean, forKey: .mean)
            try container.encode(scale, forKey: .scale)
        case .oneHot(let column, let categories):
            try container.encode("one_hot", forKey: .kind)
            try container.encode(column, forKey: .column)
            try container.encode(categories, forKey: .categories)
        }
    }

    /// Decodes the form `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        let column = try container.decode(String.self, forKey: .column)
        switch kind {
        case "standard_scaler":
            let scale = try container.decode(Double.self, forKey: .scale)
            guard scale > 0, scale.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: .scale, in: container, debugDescription: "scale must be positive")
            }
            self = .standardize(column: column, mean: try container.decode(Double.self, forKey: .mean), scale: scale)
        case "one_hot":
            self = .oneHot(column: column, categories: try container.decode([String].self, forKey: .categories))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown preprocessing kind '\(kind)'")
        }
    }
}
