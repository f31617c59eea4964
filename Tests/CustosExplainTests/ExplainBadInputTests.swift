import CustosCore
import CustosExplain
import CustosML
import Foundation
import Testing

@Suite("Explanations refuse bad input with precise errors")
struct ExplainBadInputTests {
    @Test("exact Shapley values refuse more than 16 features and point to kernel")
    func tooManyFeaturesForExact() throws {
        let error = #expect(throws: CustosError.self) { try ShapleyExplainer(method: .exact, features: 17) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains("17 features") == true)
        #expect(error?.message.contains("kernel") == true)
        #expect((try? ShapleyExplainer(method: .kernel, features: 17)) != nil)
    }

    @Test("a model returning NaN is an error naming the row")
    func nanModel() throws {
        let reference = try ShapReference.shared.get()
        let model = ClosureTabularModel(featureNames: reference.features) { rows in
            // NaN only where the age of explained row 2 (59 years, z = 1.5655, in no background row) is used.
            (0..<rows.rows).map { abs(rows[$0, 0] - 1.565509224856913) < 1e-12 ? .nan : 0.5 }
        }
        let error = #expect(throws: CustosError.self) {
            try ShapleyExplainer(method: .exact, features: 7).explain(model, rows: reference.standardizedRows, background: reference.background)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("nan") == true)
        #expect(error?.message.contains("row 2 of the data") == true)
    }

    @Test("data without a column the model reads, and a background set with a missing value, are errors naming them")
    func mismatchedAndMissing() throws {
        let reference = try ShapReference.shared.get()
        let model = try reference.standardizedModel
        let data = try CSVReader.table(Array("age,fnlwgt\n1,2\n".utf8), source: "rows.csv")
        let mismatch = #expect(throws: CustosError.self) { try model.featureRows(data, role: "data") }
        #expect(mismatch?.message.contains("'education-num'") == true)
        #expect(mismatch?.location?.file == "rows.csv")

        let header = reference.features.joined(separator: ",")
        let background = try CSVReader.table(Array((header + "\n1,2,3,4,5,6,1\n1,2,3,,5,6,0\n").utf8), source: "bg.csv")
        let missing = #expect(throws: CustosError.self) { try model.featureRows(background, role: "background set") }
        #expect(missing?.message.contains("background set has a missing value in column 'capital_gain'") == true)
        #expect(missing?.location?.row == 2)

        let wide = DenseMatrix(zeros: 2, 8)
        #expect(throws: CustosError.self) {
            try ShapleyExplainer(method: .exact, features: 7).explain(model, rows: wide, background: reference.background)
        }
    }
}
