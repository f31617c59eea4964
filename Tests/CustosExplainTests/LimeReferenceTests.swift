import CustosCore
import CustosExplain
import CustosML
import Foundation
import Testing

@Suite("LIME against lime 0.2.0.1 on Adult")
struct LimeReferenceTests {
    /// All 30,162 Adult training rows standardized with the reference's scaler: LIME's training data.
    static let training = Result { () throws -> DenseMatrix in
        let reference = try ShapReference.shared.get()
        let (train, _) = try Datasets.adult()
        let names = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
        var columns = try names.map { try train.column(named: $0).doubles().map { $0 ?? .nan } }
        let sex = try train.column(named: "sex")
        columns.append((0..<train.rowCount).map { sex.string(at: $0) == "Male" ? 1 : 0 })
        var values: [Double] = []
        for i in 0..<train.rowCount {
            for j in 0..<7 { values.append((columns[j][i] - reference.mean[j]) / reference.scale[j]) }
        }
        return try DenseMatrix(rows: train.rowCount, columns: 7, values: values)
    }

    @Test("tabular LIME (quartiles, sex categorical, 5000 samples) agrees with lime on sign and leading feature")
    func tabular() throws {
        let reference = try ShapReference.shared.get()
        let lime = try LimeTabular(training: Self.training.get(), featureNames: reference.features, categorical: [6])
        let model = try reference.standardizedModel
        for (row, expected) in zip(reference.rows, reference.lime) {
            let explanation = try lime.explain(model, row: row.standardized, seed: 42)
            let theirs = reference.features.map { expected[$0] ?? .nan }
            let top = { (w: [Double]) in w.indices.max { abs(w[$0]) < abs(w[$1]) } }
            #expect(top(explanation.weights) == top(theirs))
            for j in 0..<7 where abs(theirs[j]) > 0.05 {
                #expect((explanation.weights[j] > 0) == (theirs[j] > 0), "feature \(reference.features[j])")
            }
            #expect(abs(explanation.modelPrediction - row.prediction) < 1e-12)
        }
    }
}
