import CustosCore
import CustosML
import Foundation
import Testing

/// Logistic regression, preprocessing and the model file on small inputs whose answers follow from the math.
@Suite("Tabular models: logistic regression, preprocessing, model file")
struct LogisticRegressionTests {
    /// Scaled gradient of `C·Σ wᵢ·logloss + ½‖β‖²`, computed directly (no BLAS), to check optimality.
    func gradient(_ x: DenseMatrix, _ y: [Bool], _ model: LinearClassifier, c: Double = 1) -> [Double] {
        var g = model.coefficients + [0]
        for i in 0..<x.rows {
            var z = model.intercept
            for j in 0..<x.columns { z += x[i, j] * model.coefficients[j] }
            let r = c * (1 / (1 + exp(-z)) - (y[i] ? 1 : 0))
            for j in 0..<x.columns { g[j] += r * x[i, j] }
            g[x.columns] += r
        }
        return g
    }

    @Test("separable data: the L2 penalty keeps the optimum finite; gradient is zero there")
    func separable() throws {
        let x = try DenseMatrix(rows: 6, columns: 1, values: [-3, -2, -1, 1, 2, 3])
        let y = [false, false, false, true, true, true]
        let model = try LogisticRegression(c: 100).fit(x, labels: y)
        #expect(model.coefficients.allSatisfy(\.isFinite) && model.intercept.isFinite)
        #expect(try model.predict(x) == y)
        #expect(gradient(x, y, model, c: 100).allSatisfy { abs($0) < 1e-6 })
    }

    @Test("constant and duplicated columns: constant gets 0, duplicates share the weight equally")
    func degenerateColumns() throws {
        let rows: [[Double]] = [[1, 5, 1], [2, 5, 2], [3, 5, 3], [4, 5, 4], [2.5, 5, 2.5], [1.5, 5, 1.5]]
        let y = [false, false, true, true, true, false]
        let x = try DenseMatrix(rows: rows.count, columns: 3, values: rows.flatMap { $0 })
        let model = try LogisticRegression().fit(x, labels: y)
        #expect(abs(model.coefficients[0] - model.coefficients[2]) < 1e-9)
        #expect(gradient(x, y, model).allSatisfy { abs($0) < 1e-7 })
        // Standardizing a constant column gives zeros (scale 1), never a division by zero.
        let table = try Table(columns: [Column(name: "k", values: .double([5, 5, 5]))])
        let step = try PreprocessingStep.fitStandardizer(table, column: "k")
        #expect(step == .standardize(column: "k", mean: 5, scale: 1))
        #expect(try FeaturePipeline(steps: [step]).transform(table).values == [0, 0, 0])
    }

    @Test("sample weights equal repeated rows")
    func weightsAreRepetition() throws {
        let x = try DenseMatrix(rows: 4, columns: 1, values: [0, 1, 2, 3])
        let y = [false, true, false, true]
        let weighted = try LogisticRegression().fit(x, labels: y, weights: [1, 3, 1, 2])
        let repeated = try LogisticRegression().fit(
            DenseMatrix(rows: 7, columns: 1, values: [0, 1, 1, 1, 2, 3, 3]), labels: [false, true, true, true, false, true, true])
        #expect(abs(weighted.coefficients[0] - repeated.coefficients[0]) < 1e-9)
        #expect(abs(weighted.intercept - repeated.intercept) < 1e-9)
    }

    @Test("bad input: NaN feature, negative weight, length mismatch are errors")
    func badInput() throws {
        let x = try DenseMatrix(rows: 2, columns: 1, values: [0, .nan])
        #expect(throws: CustosError.self) { try LogisticRegression().fit(x, labels: [false, true]) }
        let ok = try DenseMatrix(rows: 2, columns: 1, values: [0, 1])
        #expect(throws: CustosError.self) { try LogisticRegression().fit(ok, labels: [false, true], weights: [1, -1]) }
        #expect(throws: CustosError.self) { try LogisticRegression().fit(ok, labels: [false]) }
        #expect(throws: CustosError.self) { try BLASKernels.gemv(ok, [1, 2]) }
    }

    @Test("one-hot: sorted train categories; an unseen category encodes as all zeros; a missing value is an error")
    func oneHot() throws {
        let train = try Table(columns: [Column(name: "c", values: .string(["b", "a", "b"]))])
        let pipeline = try FeaturePipeline.fit(train, numeric: [], categorical: ["c"])
        #expect(pipeline.featureNames == ["cat__c_a", "cat__c_b"])
        let test = try Table(columns: [Column(name: "c", values: .string(["a", "zzz"]))])
        #expect(try pipeline.transform(test).values == [1, 0, 0, 0])
        let missing = try Table(columns: [Column(name: "c", values: .string(["a", nil]))], source: "t.csv")
        let error = try #require(throws: CustosError.self) { try pipeline.transform(missing) }
        #expect(error.location?.row == 2 && error.location?.column == "c")
    }

    @Test("an identifier-like column is refused before the design matrix outgrows memory")
    func identifierColumn() throws {
        let ids = (0..<20_000).map { "id-\($0)" }
        let table = try Table(columns: [Column(name: "id", values: .string(ids))], source: "people.csv")
        let pipeline = try FeaturePipeline.fit(table, excluding: [])
        let error = try #require(throws: CustosError.self) { try pipeline.transform(table) }
        #expect(error.message.contains("'id' (20000)"))
        #expect(error.location?.file == "people.csv")
    }

    @Test("model file: round trip; raw numeric features when preprocessing is empty; other schema versions refused")
    func modelFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let table = try Table(columns: [Column(name: "a", values: .double([1, 2, 4])), Column(name: "g", values: .string(["x", "y", "x"]))])
        let pipeline = try FeaturePipeline.fit(table, numeric: ["a"], categorical: ["g"])
        let file = ModelFile(pipeline: pipeline, classifier: LinearClassifier(coefficients: [0.5, -1, 2], intercept: 0.25),
                             mitigation: MitigationRecord(method: "threshold-eo", groupThresholds: [
                                 "x": RandomizedThreshold(p0: 0.3, threshold0: .infinity, p1: 0.7, threshold1: -.infinity)]))
        try file.save(to: directory + "/m.json")
        #expect(try ModelFile.load(directory + "/m.json") == file)

        let raw = #"{"schema_version": 1, "kind": "logistic_regression", "features": ["a", "b"], "coefficients": [2, -1], "intercept": 0.5, "preprocessing": []}"#
        try raw.write(toFile: directory + "/raw.json", atomically: true, encoding: .utf8)
        let loaded = try ModelFile.load(directory + "/raw.json")
        let data = try Table(columns: [Column(name: "b", values: .double([1])), Column(name: "a", values: .double([3]))])
        let p = try loaded.classifier.probabilities(loaded.pipeline.transform(data))
        #expect(abs(p[0] - 1 / (1 + exp(-(2 * 3 - 1 + 0.5)))) < 1e-15)

        try raw.replacingOccurrences(of: #""schema_version": 1"#, with: #""schema_version": 2"#)
            .write(toFile: directory + "/v2.json", atomically: true, encoding: .utf8)
        let error = try #require(throws: CustosError.self) { try ModelFile.load(directory + "/v2.json") }
        #expect(error.location?.jsonPath == "$.schema_version")
        #expect(error.message.contains("schema_version 2"))
    }

    @Test("linear program: the textbook optimum, with equality rows")
    func linearProgram() throws {
        // maximize x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6: the vertex (8/5, 6/5).
        let x = try LinearProgram(objective: [-1, -1], upperRows: [[1, 2], [3, 1]], upperBounds: [4, 6]).solve()
        #expect(abs(x[0] - 1.6) < 1e-12 && abs(x[1] - 1.2) < 1e-12)
        // minimize 2a + b s.t. a + b = 1, a − b ≤ 0.5: all weight on b.
        let y = try LinearProgram(objective: [2, 1], upperRows: [[1, -1]], upperBounds: [0.5], equalityRows: [[1, 1]], equalityBounds: [1]).solve()
        #expect(abs(y[0]) < 1e-12 && abs(y[1] - 1) < 1e-12)
        #expect(throws: CustosError.self) { try LinearProgram(objective: [1], equalityRows: [[1], [1]], equalityBounds: [1, 2]).solve() }
    }

    /// The vectorized mean sigmoid (libmvec's AVX2 exp where available) against the scalar link, over margins
    /// that reach both saturations and counts that leave every remainder of the 8- and 4-wide loops.
    @Test func meanSigmoidMatchesTheScalarLink() {
        var generator = SeededGenerator(seed: 11)
        for count in [1, 3, 4, 7, 8, 9, 50, 1_001] {
            var margins = (0..<count).map { _ in Double.random(in: -40...40, using: &generator) }
            if count > 3 { margins[0] = 800; margins[1] = -800; margins[2] = 0 }
            let scalar = margins.map(LogisticRegression.sigmoid).reduce(0, +) / Double(count)
            let vector = margins.withUnsafeBufferPointer(LogisticRegression.meanSigmoid)
            #expect(abs(vector - scalar) <= 1e-14 * max(scalar, 1e-300), "count \(count): \(vector) vs \(scalar)")
        }
        #expect([Double]().withUnsafeBufferPointer(LogisticRegression.meanSigmoid).isNaN)
        #expect([Double.nan, 1].withUnsafeBufferPointer(LogisticRegression.meanSigmoid).isNaN)
    }
}
