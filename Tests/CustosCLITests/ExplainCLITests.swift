import Foundation
import Testing

@Suite("custos explain shap/lime/text (the executable)")
struct ExplainCLITests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/explain/shap_dev.json")

    /// Writes the reference's model (empty preprocessing), explained rows and background as files in `directory`.
    static func writeInputs(_ directory: URL) throws -> (reference: [String: Any], features: [String]) {
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any] ?? [:]
        let features = reference["features"] as? [String] ?? []
        let model = reference["model"] as? [String: Any] ?? [:]
        let file: [String: Any] = [
            "schema_version": 1, "kind": "logistic_regression", "features": features,
            "coefficients": model["coef"] ?? [], "intercept": model["intercept"] ?? 0, "preprocessing": [Any](),
        ]
        try JSONSerialization.data(withJSONObject: file).write(to: directory.appendingPathComponent("model.json"))
        func csv(_ rows: [[Double]]) -> String {
            features.joined(separator: ",") + "\n" + rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        }
        let rows = (reference["rows"] as? [[String: Any]] ?? []).map { $0["X_std"] as? [Double] ?? [] }
        let background = (reference["background"] as? [String: Any])?["X_std"] as? [[Double]] ?? []
        try csv(rows).write(to: directory.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
        try csv(background).write(to: directory.appendingPathComponent("bg.csv"), atomically: true, encoding: .utf8)
        return (reference, features)
    }

    @Test("explain shap --format json prints the documented document with the reference's exact values")
    func shapJSON() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (reference, features) = try Self.writeInputs(directory)
        let result = try CLIProcess.run([
            "explain", "shap", "--model", directory.appendingPathComponent("model.json").path,
            "--data", directory.appendingPathComponent("rows.csv").path,
            "--background", directory.appendingPathComponent("bg.csv").path, "--method", "exact", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(output.keys) == ["features", "base_value", "rows"])
        #expect(output["features"] as? [String] == features)
        let base = try #require(output["base_value"] as? Double)
        #expect(abs(base - (reference["base_value"] as? Double ?? .nan)) < 1e-12)
        let rows = try #require(output["rows"] as? [[String: Any]])
        let expected = reference["rows"] as? [[String: Any]] ?? []
        #expect(rows.count == expected.count)
        for (k, (row, want)) in zip(rows, expected).enumerated() {
            #expect(row["index"] as? Int == k)
            let values = row["values"] as? [Double] ?? []
            let exact = want["exact_shapley"] as? [Double] ?? []
            #expect(values.count == 7 && zip(values, exact).allSatisfy { abs($0 - $1) < 1e-9 })
            #expect(abs((row["prediction"] as? Double ?? .nan) - (want["f_x"] as? Double ?? .nan)) < 1e-12)
        }
    }

    @Test("bad input is exit 2 with a precise message: missing background value, missing column, too many features for exact")
    func badInput() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, features) = try Self.writeInputs(directory)
        let model = directory.appendingPathComponent("model.json").path
        let rows = directory.appendingPathComponent("rows.csv").path
        let holey = directory.appendingPathComponent("holey.csv")
        try (features.joined(separator: ",") + "\n1,2,3,4,5,6,1\n1,2,3,4,,6,0\n").write(to: holey, atomically: true, encoding: .utf8)
        let missing = try CLIProcess.run(["explain", "shap", "--model", model, "--data", rows, "--background", holey.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("background set has a missing value in column 'capital_loss'") && missing.stderr.contains("row 2"))

        let narrow = directory.appendingPathComponent("narrow.csv")
        try "age,sex\n1,1\n".write(to: narrow, atomically: true, encoding: .utf8)
        let mismatch = try CLIProcess.run(["explain", "shap", "--model", model, "--data", narrow.path, "--background", rows])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("no column 'fnlwgt'"))

        let names = (0..<17).map { "f\($0)" }
        let wide: [String: Any] = ["schema_version": 1, "kind": "logistic_regression", "features": names,
                                   "coefficients": [Double](repeating: 0.1, count: 17), "intercept": 0, "preprocessing": [Any]()]
        let wideModel = directory.appendingPathComponent("wide.json")
        try JSONSerialization.data(withJSONObject: wide).write(to: wideModel)
        let wideRows = directory.appendingPathComponent("wide.csv")
        try (names.joined(separator: ",") + "\n" + [String](repeating: "1", count: 17).joined(separator: ",") + "\n")
            .write(to: wideRows, atomically: true, encoding: .utf8)
        let tooMany = try CLIProcess.run(["explain", "shap", "--model", wideModel.path, "--data", wideRows.path, "--background", wideRows.path])
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.contains("17 features") && tooMany.stderr.contains("--method kernel"))
    }

    @Test("explain text --scanner offensive prints word values that sum to score minus base")
    func text() throws {
        let result = try CLIProcess.run(["explain", "text", "--scanner", "offensive", "you stupid idiot", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let words = try #require(output["words"] as? [[String: Any]])
        #expect(words.map { $0["text"] as? String } == ["you", "stupid", "idiot"])
        let sum = words.reduce(0) { $0 + ($1["value"] as? Double ?? .nan) }
        let effect = (output["prediction"] as? Double ?? .nan) - (output["base_value"] as? Double ?? .nan)
        #expect(abs(sum - effect) < 1e-9)
        #expect(output["method"] as? String == "exact")
    }
}
