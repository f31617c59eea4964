import CustosCore

/// Turns table columns into a design matrix: standardized numeric columns and one-hot categorical columns, in
/// step order — or, with no steps, the named numeric columns as they are (a model trained elsewhere).
public struct FeaturePipeline: Sendable, Equatable {
    /// The fitted steps, in output order.
    public var steps: [PreprocessingStep]
    /// Raw numeric input columns, used only when `steps` is empty.
    public var rawColumns: [String]

    /// A pipeline of fitted steps.
    public init(steps: [PreprocessingStep]) {
        self.steps = steps
        self.rawColumns = []
    }

    /// A pipeline that reads the named numeric columns unchanged.
    public init(rawColumns: [String]) {
        self.steps = []
        self.rawColumns = rawColumns
    }

    /// Fits scalers to `numeric` and encoders to `categorical` columns: numeric features first, then categorical
    /// ones, each in the order given (scikit-learn's `ColumnTransformer([("num", …), ("cat", …)])`).
    public static func fit(_ table: Table, numeric: [String], categorical: [String]) throws -> FeaturePipeline {
        let scalers = try numeric.map { try PreprocessingStep.fitStandardizer(table, column: $0) }
        let encoders = try categorical.map { try PreprocessingStep.fitOneHot(table, column: $0) }
        return FeaturePipeline(steps: scalers + encoders)
    }

    /// Fits to every column except `excluded`: integer and double columns are standardized, text and boolean
    /// columns one-hot encoded.
    public static func fit(_ table: Table, excluding excluded: Set<String>) throws -> FeaturePipeline {
        let columns = table.columns.filter { !excluded.contains($0.name) }
        guard !columns.isEmpty else { throw CustosError(.usage, "no feature columns left after excluding \(excluded.sorted())") }
        let numeric = columns.filter { $0.type == .double || $0.type == .int }.map(\.name)
        let categorical = columns.filter { $0.type == .string || $0.type == .bool }.map(\.name)
        return try fit(table, numeric: numeric, categorical: categorical)
    }

    /// Output feature names in column order.
    public var featureNames: [String] {
        steps.isEmpty ? rawColumns : steps.flatMap(\.featureNames)
    }

    /// The input columns this pipeline reads.
    public var inputColumns: [String] {
        steps.isEmpty ? rawColumns : steps.map(\.column)
    }

    /// Largest design matrix built (2²⁷ doubles, 1 GiB): beyond it a one-hot encoded identifier-like column is the
    /// usual cause, and an error naming the widest columns is more useful than running out of memory.
    public static let maximumDesignValues = 1 << 27

    /// The design matrix of `table`; errors name the row and column of a missing or unreadable value.
    public func transform(_ table: Table) throws -> DenseMatrix {
        let width = featureNames.count
        guard table.rowCount.multipliedReportingOverflow(by: width).partialValue <= Self.maximumDesignValues,
              !table.rowCount.multipliedReportingOverflow(by: width).overflow else {
            let widest = steps.sorted { $0.featureNames.count > $1.featureNames.count }.prefix(3)
                .map { "'\($0.column)' (\($0.featureNames.count))" }.joined(separator: ", ")
            throw CustosError(.invalidInput, "\(table.rowCount) rows × \(width) features is too large a design matrix; "
                + "widest columns: \(widest) — exclude identifier-like columns", at: table.source.map { SourceLocation(file: $0) })
        }
        var out = DenseMatrix(zeros: table.rowCount, width)
        if steps.isEmpty {
            for (j, name) in rawColumns.enumerated() {
                let values = try PreprocessingStep.numericValues(table, column: name)
                for i in 0..<values.count { out[i, j] = values[i] }
            }
            return out
        }
        var offset = 0
        for step in steps {
            try step.transform(table, into: &out, offset: offset)
            offset += step.featureNames.count
        }
        return out
    }
}
