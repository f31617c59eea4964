import CustosCore
import CustosML

/// A saved logistic regression (`ModelFile`, schema 1) explained over its input columns.
///
/// The explained features are the columns the model reads (`FeaturePipeline.inputColumns`): a standardized column
/// is one feature, and so is a one-hot encoded column — its value in a feature row is the category's index in the
/// fitted categories (−1 for a category not seen in training, which the encoder maps to all zeros). With empty
/// preprocessing the features are the model's raw numeric columns. The explained output is the base classifier's
/// positive-class probability (a fairness mitigation saved with the model is not applied).
public struct LinearModelFile: AdditiveTabularModel {
    /// How one explained feature enters the margin.
    enum Term: Sendable, Equatable {
        /// `coefficient · (x − mean) / scale`.
        case numeric(coefficient: Double, mean: Double, scale: Double)
        /// `coefficients[category index]`, 0 for an unseen category.
        case categorical(coefficients: [Double], categories: [String])
    }

    /// The model as loaded.
    public let file: ModelFile
    /// The explained features: the model's input columns.
    public let featureNames: [String]
    /// The margin's constant part.
    public let intercept: Double
    let featureTerms: [Term]

    /// Wraps a validated model file.
    public init(_ file: ModelFile) throws {
        try file.validate()
        self.file = file
        intercept = file.intercept
        if file.preprocessing.isEmpty {
            featureNames = file.features
            featureTerms = file.coefficients.map { .numeric(coefficient: $0, mean: 0, scale: 1) }
        } else {
            var names: [String] = []
            var terms: [Term] = []
            var offset = 0
            for step in file.preprocessing {
                switch step {
                case .standardize(let column, let mean, let scale):
                    terms.append(.numeric(coefficient: file.coefficients[offset], mean: mean, scale: scale))
                    offset += 1
                    names.append(column)
                case .oneHot(let column, let categories):
                    terms.append(.categorical(coefficients: Array(file.coefficients[offset..<(offset + categories.count)]),
                                              categories: categories))
                    offset += categories.count
                    names.append(column)
                }
            }
            if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw CustosError(.invalidInput, "the model reads column '\(duplicate)' in two preprocessing steps; "
                    + "explanations need one step per input column", at: SourceLocation(jsonPath: "$.preprocessing"))
            }
            featureNames = names
            featureTerms = terms
        }
    }

    /// Loads and wraps a model file.
    public init(path: String) throws {
        try self.init(ModelFile.load(path))
    }

    /// Whether feature `index` is a one-hot encoded (categorical) column.
    public func isCategorical(_ index: Int) -> Bool {
        if case .categorical = featureTerms[index] { return true }
        return false
    }

    /// Each feature's contribution to the margin.
    public func terms(_ row: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: featureTerms.count)
        for (j, term) in featureTerms.enumerated() {
            switch term {
            case .numeric(let coefficient, let mean, let scale):
                out[j] = coefficient * (row[j] - mean) / scale
            case .categorical(let coefficients, _):
                let code = Int(row[j])
                out[j] = code >= 0 && code < coefficients.count ? coefficients[code] : 0
            }
        }
        return out
    }

    /// The logistic link.
    public func output(margin: Double) -> Double { LogisticRegression.sigmoid(margin) }

    /// The mean positive-class probability over margins (the vectorized sigmoid).
    public func meanOutput(_ margins: UnsafeBufferPointer<Double>) -> Double {
        LogisticRegression.meanSigmoid(margins)
    }

    /// A feature value as text: the number, or the category a code stands for.
    public func valueLabel(_ value: Double, feature index: Int) -> String {
        if case .categorical(_, let categories) = featureTerms[index] {
            let code = Int(value)
            return code >= 0 && code < categories.count ? categories[code] : "(unseen)"
        }
        return Column.format(value)
    }

    /// Feature rows of `table` (one per table row, columns in `featureNames` order).
    ///
    /// `role` names the table in errors ("data", "background set"): a column the model needs that the table lacks,
    /// a missing, non-numeric or non-finite value are errors naming the file, row and column.
    public func featureRows(_ table: Table, role: String) throws -> DenseMatrix {
        let file = table.source.map { SourceLocation(file: $0) }
        let missingColumns = featureNames.filter { !table.hasColumn($0) }
        guard missingColumns.isEmpty else {
            throw CustosError(.invalidInput, "the \(role) has no column \(missingColumns.map { "'\($0)'" }.joined(separator: ", ")) "
                + "that the model reads (model columns: \(featureNames.joined(separator: ", ")); \(role) columns: "
                + "\(table.columnNames.joined(separator: ", ")))", at: file)
        }
        guard table.rowCount > 0 else { throw CustosError(.invalidInput, "the \(role) has no rows", at: file) }
        var out = DenseMatrix(zeros: table.rowCount, featureNames.count)
        for (j, name) in featureNames.enumerated() {
            let column = try table.column(named: name)
            if let row = (0..<column.count).first(where: { column.isMissing($0) }) {
                throw CustosError(.invalidInput, "the \(role) has a missing value in column '\(name)'; "
                    + "drop or impute such rows first", at: table.location(row: row, column: name))
            }
            switch featureTerms[j] {
            case .categorical(_, let categories):
                var index: [String: Int] = [:]
                for (k, category) in categories.enumerated() { index[category] = k }
                for i in 0..<column.count { out[i, j] = Double(column.string(at: i).flatMap { index[$0] } ?? -1) }
            case .numeric:
                let values: [Double?]
                do { values = try column.doubles() } catch let error as CustosError {
                    throw table.locate(CustosError(error.code, "the \(role): \(error.message)", at: error.location))
                }
                for (i, value) in values.enumerated() {
                    guard let value, value.isFinite else {
                        throw CustosError(.invalidInput, "the \(role) has a non-finite value in column '\(name)'",
                                          at: table.location(row: i, column: name))
                    }
                    out[i, j] = value
                }
            }
        }
        return out
    }
}
