import CustosCore
import CustosML

/// A model explained over tabular rows: a batch scoring function from feature rows to one output per row.
///
/// The explained output is whatever `predict` returns (for Custos' classifiers, the positive-class probability).
/// Rows are in the explanation's feature space — one column per entry of `featureNames` — which need not be the
/// model's internal design matrix (a one-hot encoded column is one explained feature).
public protocol TabularModel: Sendable {
    /// The explained features, in column order.
    var featureNames: [String] { get }
    /// One output per row of `rows` (`rows.columns == featureNames.count`).
    func predict(_ rows: DenseMatrix) throws -> [Double]
}

/// A model whose output is a link of a sum of per-feature terms: `output(intercept + Σⱼ termⱼ(xⱼ))`.
///
/// Logistic regression over standardized and one-hot encoded columns has this form. Explainers use it to build
/// each coalition's inputs as sums of precomputed terms instead of rebuilding and rescoring whole rows.
public protocol AdditiveTabularModel: TabularModel {
    /// The constant part of the margin.
    var intercept: Double { get }
    /// Each feature's contribution to the margin for one row (`row.count == featureNames.count`).
    func terms(_ row: [Double]) -> [Double]
    /// The output for a margin.
    func output(margin: Double) -> Double
    /// The mean output over many margins (a coalition's value is one such mean per coalition, so this is the
    /// innermost loop of every estimator; implementations inline their link here).
    func meanOutput(_ margins: UnsafeBufferPointer<Double>) -> Double
}

extension AdditiveTabularModel {
    /// Averages `output(margin:)`.
    public func meanOutput(_ margins: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for margin in margins { sum += output(margin: margin) }
        return sum / Double(margins.count)
    }

    /// `output(intercept + Σ terms)` per row.
    public func predict(_ rows: DenseMatrix) throws -> [Double] {
        (0..<rows.rows).map { i in output(margin: terms(rows.row(i)).reduce(intercept, +)) }
    }
}

/// Any batch scoring function as a `TabularModel`.
public struct ClosureTabularModel: TabularModel {
    /// The explained features.
    public let featureNames: [String]
    private let body: @Sendable (DenseMatrix) throws -> [Double]

    /// Wraps `body`, which must return one output per row.
    public init(featureNames: [String], _ body: @escaping @Sendable (DenseMatrix) throws -> [Double]) {
        self.featureNames = featureNames
        self.body = body
    }

    /// Calls the wrapped function.
    public func predict(_ rows: DenseMatrix) throws -> [Double] { try body(rows) }
}

/// Scores `rows` with `model` and checks the outputs: one per row, all finite.
///
/// `describe` names the rows in an error ("row 3 of the data", "a coalition of row 3").
func checkedPredictions(_ model: any TabularModel, _ rows: DenseMatrix, describe: (Int) -> String) throws -> [Double] {
    let outputs = try model.predict(rows)
    guard outputs.count == rows.rows else {
        throw CustosError(.internal, "the model returned \(outputs.count) outputs for \(rows.rows) rows")
    }
    if let bad = outputs.firstIndex(where: { !$0.isFinite }) {
        throw CustosError(.invalidInput, "the model returned \(outputs[bad]) for \(describe(bad)); explanations need finite outputs")
    }
    return outputs
}
