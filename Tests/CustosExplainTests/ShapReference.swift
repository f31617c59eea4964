import CustosCore
import CustosExplain
import CustosML
import Foundation

/// `Tests/Fixtures/explain/shap_dev.json` (see Tests/Fixtures/README.md): a scikit-learn logistic regression on 7
/// standardized Adult features, 50 background rows and 5 explained rows with their exact Shapley values and shap
/// 0.51's KernelSHAP values.
struct ShapReference: Sendable {
    struct Row: Sendable {
        var raw: [Double]
        var standardized: [Double]
        var prediction: Double
        var exact: [Double]
        var kernel: [Double]
    }

    var features: [String]
    var mean: [Double]
    var scale: [Double]
    var coefficients: [Double]
    var intercept: Double
    /// Background rows, standardized (50 × 7).
    var background: DenseMatrix
    var baseValue: Double
    var rows: [Row]
    /// shap's LIME explanations: per row, weight per feature name.
    var lime: [[String: Double]]

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let shared = Result { try ShapReference() }

    init() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("explain/shap_dev.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let model = object["model"] as? [String: Any], let background = object["background"] as? [String: Any],
              let rows = object["rows"] as? [[String: Any]], let lime = object["lime"] as? [String: Any]
        else { throw CustosError(.invalidInput, "shap_dev.json: unexpected layout") }
        func doubles(_ value: Any?) -> [Double] { (value as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue } }
        features = object["features"] as? [String] ?? []
        mean = doubles(object["scaler_mean"])
        scale = doubles(object["scaler_scale"])
        coefficients = doubles(model["coef"])
        intercept = (model["intercept"] as? NSNumber)?.doubleValue ?? .nan
        let backgroundRows = (background["X_std"] as? [Any] ?? []).map(doubles)
        self.background = try DenseMatrix(rows: backgroundRows.count, columns: features.count, values: backgroundRows.flatMap { $0 })
        baseValue = (object["base_value"] as? NSNumber)?.doubleValue ?? .nan
        self.rows = rows.map { row in
            Row(raw: doubles(row["X_raw"]), standardized: doubles(row["X_std"]),
                prediction: (row["f_x"] as? NSNumber)?.doubleValue ?? .nan,
                exact: doubles(row["exact_shapley"]), kernel: doubles(row["kernelshap"]))
        }
        self.lime = (lime["explanations"] as? [[String: Any]] ?? []).map { explanation in
            var weights: [String: Double] = [:]
            for pair in explanation["weights"] as? [[Any]] ?? [] {
                if let name = pair.first as? String, let weight = (pair.last as? NSNumber)?.doubleValue { weights[name] = weight }
            }
            return weights
        }
    }

    /// The model over standardized features, as a model file with empty preprocessing.
    var standardizedModel: LinearModelFile {
        get throws {
            try LinearModelFile(ModelFile(
                pipeline: FeaturePipeline(rawColumns: features),
                classifier: LinearClassifier(coefficients: coefficients, intercept: intercept)))
        }
    }

    /// The same model over raw features, with its scaler as preprocessing steps.
    var rawModel: LinearModelFile {
        get throws {
            let steps = features.indices.map { PreprocessingStep.standardize(column: features[$0], mean: mean[$0], scale: scale[$0]) }
            return try LinearModelFile(ModelFile(
                pipeline: FeaturePipeline(steps: steps),
                classifier: LinearClassifier(coefficients: coefficients, intercept: intercept)))
        }
    }

    /// The explained rows, standardized.
    var standardizedRows: DenseMatrix {
        get throws { try DenseMatrix(rows: rows.count, columns: features.count, values: rows.flatMap(\.standardized)) }
    }

    /// Largest absolute difference between two equally long vectors.
    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "lengths differ")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
