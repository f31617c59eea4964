import CustosCore
import CustosExplain
import CustosML
import Foundation
import Testing

/// Exact and sampled Shapley values against `shap_dev.json` (numpy brute force and shap 0.51's KernelExplainer).
@Suite("Shapley values against shap on Adult")
struct ShapleyReferenceTests {
    /// The reference's exact values come from a float64 numpy brute force over the same 128 coalitions.
    static let exactTolerance = 1e-9

    @Test("exact Shapley values equal shap_dev.json's to 1e-9 and sum to f(x) − E[f(background)]")
    func exactMatchesReference() throws {
        let reference = try ShapReference.shared.get()
        let explainer = try ShapleyExplainer(method: .exact, features: 7)
        let result = try explainer.explain(reference.standardizedModel, rows: reference.standardizedRows, background: reference.background)
        #expect(abs(result.baseValue - reference.baseValue) < 1e-12)
        for (row, expected) in zip(result.rows, reference.rows) {
            #expect(ShapReference.maxDifference(row.values, expected.exact) < Self.exactTolerance)
            #expect(abs(row.prediction - expected.prediction) < 1e-12)
            #expect(abs(row.values.reduce(0, +) - (expected.prediction - reference.baseValue)) < 1e-12)
        }
    }

    @Test("raw rows through the model's scaler give the same exact values as standardized rows")
    func exactThroughPreprocessing() throws {
        let reference = try ShapReference.shared.get()
        let model = try reference.rawModel
        #expect(model.featureNames == reference.features)
        // Background rows back in raw units (the reference stores them standardized).
        var rawBackground = reference.background
        for i in 0..<rawBackground.rows {
            for j in 0..<7 { rawBackground[i, j] = reference.background[i, j] * reference.scale[j] + reference.mean[j] }
        }
        let rows = try DenseMatrix(rows: reference.rows.count, columns: 7, values: reference.rows.flatMap(\.raw))
        let result = try ShapleyExplainer(method: .exact, features: 7).explain(model, rows: rows, background: rawBackground)
        for (row, expected) in zip(result.rows, reference.rows) {
            #expect(ShapReference.maxDifference(row.values, expected.exact) < Self.exactTolerance)
        }
    }

    @Test("a model seen only as a batch scoring function gets the same exact values")
    func exactThroughGenericModel() throws {
        let reference = try ShapReference.shared.get()
        let additive = try reference.standardizedModel
        let opaque = ClosureTabularModel(featureNames: additive.featureNames) { try additive.predict($0) }
        let result = try ShapleyExplainer(method: .exact, features: 7).explain(opaque, rows: reference.standardizedRows, background: reference.background)
        for (row, expected) in zip(result.rows, reference.rows) {
            #expect(ShapReference.maxDifference(row.values, expected.exact) < Self.exactTolerance)
        }
    }

    @Test("KernelSHAP enumerates every coalition when the budget covers 2^M − 2 and is then exact", arguments: [126, 2000])
    func kernelEnumerates(samples: Int) throws {
        let reference = try ShapReference.shared.get()
        let explainer = try ShapleyExplainer(method: .kernel, samples: samples, seed: 7, features: 7)
        let result = try explainer.explain(reference.standardizedModel, rows: reference.standardizedRows, background: reference.background)
        for (row, expected) in zip(result.rows, reference.rows) {
            #expect(ShapReference.maxDifference(row.values, expected.exact) < Self.exactTolerance)
            #expect(ShapReference.maxDifference(row.values, expected.kernel) < Self.exactTolerance)
        }
        var generator = SeededGenerator(seed: 0)
        let (masks, weights) = try KernelSHAP(samples: samples).coalitions(players: 7, generator: &generator)
        #expect(weights.count == 126)
        let distinct: Set<[Bool]> = Set(stride(from: 0, to: masks.count, by: 7).map { (start: Int) -> [Bool] in Array(masks[start..<(start + 7)]) })
        #expect(distinct.count == 126)
    }

    @Test("with fewer samples than coalitions, KernelSHAP's mean error over 100 seeds is no larger than shap's",
          arguments: [32, 64])
    func kernelSmallBudget(samples: Int) throws {
        let reference = try ShapReference.shared.get()
        let data = try Data(contentsOf: ShapReference.root.appendingPathComponent("explain/shap_kernel_budget.json"))
        let budgets = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["budgets"] as? [String: Any]
        let shapError = try #require((budgets?["\(samples)"] as? [String: Any])?["mean_abs_error"] as? Double)
        let model = try reference.standardizedModel
        let rows = try reference.standardizedRows
        var total = 0.0
        for seed in 0..<100 {
            let result = try ShapleyExplainer(method: .kernel, samples: samples, seed: UInt64(seed), features: 7)
                .explain(model, rows: rows, background: reference.background)
            var sum = 0.0
            for (row, expected) in zip(result.rows, reference.rows) {
                #expect(abs(row.values.reduce(0, +) - (expected.prediction - reference.baseValue)) < 1e-12)
                sum += zip(row.values, expected.exact).reduce(0) { $0 + abs($1.0 - $1.1) }
            }
            total += sum / 35
        }
        let ours = total / 100
        #expect(ours <= shapError, "Custos \(ours) against shap \(shapError)")
        #expect(ours > 0)  // sampled, so not exact: the comparison is not vacuous
    }

    @Test("permutation sampling is efficient exactly and close to the exact values")
    func permutationEfficiency() throws {
        let reference = try ShapReference.shared.get()
        let explainer = try ShapleyExplainer(method: .permutation, samples: 600, seed: 3, features: 7)
        let result = try explainer.explain(reference.standardizedModel, rows: reference.standardizedRows, background: reference.background)
        for (row, expected) in zip(result.rows, reference.rows) {
            #expect(abs(row.values.reduce(0, +) - (expected.prediction - reference.baseValue)) < 1e-12)
            // 50 antithetic pairs on a nearly additive model: errors are a few 1e-4 (measured max 1e-3 over seeds).
            #expect(ShapReference.maxDifference(row.values, expected.exact) < 5e-3)
        }
    }
}
