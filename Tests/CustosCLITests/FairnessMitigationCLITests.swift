import Foundation
import Testing

@Suite("custos fairness train / predict / compare (the executable)")
struct FairnessMitigationCLITests {
    /// 400 rows: a numeric score-like column, a category, a group g whose base rates differ, a 0/1 label.
    static func trainingCSV() -> String {
        var lines = ["x,kind,g,y"]
        for i in 0..<400 {
            let x = sin(Double(i) * 0.7) * 2 + (i % 2 == 0 ? 0.8 : -0.3)
            let group = i % 2 == 0 ? "a" : "b"
            let y = x + cos(Double(i) * 1.3) > 0.2 ? 1 : 0
            lines.append("\(x),\(["u", "v", "w"][i % 3]),\(group),\(y)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("train with a mitigation, then predict: model file keys, one prediction per row, exit 0",
          arguments: ["none", "reweighing", "threshold-eo", "expgrad-dp"])
    func trainAndPredict(_ mitigation: String) throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("train.csv")
        try Self.trainingCSV().write(to: data, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("model.json")
        let train = try CLIProcess.run(["fairness", "train", "--data", data.path, "--label", "y", "--sensitive", "g",
                                        "--mitigation", mitigation, "--model", model.path])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any] ?? [:]
        #expect(object["kind"] as? String == "logistic_regression")
        #expect(object["schema_version"] as? Int == 1)
        #expect((object["features"] as? [String]) == ["num__x", "cat__kind_u", "cat__kind_v", "cat__kind_w", "cat__g_a", "cat__g_b"])
        #expect((object["coefficients"] as? [Double])?.count == 6)
        #expect(((object["training"] as? [String: Any])?["data_sha256"] as? String)?.count == 64)
        #expect((object["mitigation"] as? [String: Any])?["method"] as? String == mitigation)

        let out = dir.appendingPathComponent("preds.csv")
        let predict = try CLIProcess.run(["fairness", "predict", "--model", model.path, "--data", data.path, "--out", out.path])
        #expect(predict.status == 0, "stderr: \(predict.stderr)")
        let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "row,score,positive_probability,prediction")
        #expect(rows.count == 401)
        #expect(rows.dropFirst().allSatisfy { !$0.contains("nan") && ($0.hasSuffix(",0") || $0.hasSuffix(",1")) })
        // Randomized predictions are drawn with the model's seed: the same file again.
        let again = dir.appendingPathComponent("again.csv")
        #expect(try CLIProcess.run(["fairness", "predict", "--model", model.path, "--data", data.path, "--out", again.path]).status == 0)
        #expect(try Data(contentsOf: again) == Data(contentsOf: out))
    }

    @Test("predict refuses a model of another schema version and an unknown group: exit 2, nothing written")
    func predictBadInput() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("in.csv")
        try "a,g\n1,x\n2,zz\n".write(to: data, atomically: true, encoding: .utf8)
        let future = dir.appendingPathComponent("future.json")
        try #"{"schema_version": 7, "kind": "logistic_regression", "features": ["a"], "coefficients": [1], "intercept": 0, "preprocessing": []}"#
            .write(to: future, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("preds.csv")
        let refused = try CLIProcess.run(["fairness", "predict", "--model", future.path, "--data", data.path, "--out", out.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("schema_version 7"), "stderr: \(refused.stderr)")
        let thresholds = dir.appendingPathComponent("to.json")
        try #"""
            {"schema_version": 1, "kind": "logistic_regression", "features": ["a"], "coefficients": [1], "intercept": 0,
             "preprocessing": [], "mitigation": {"method": "threshold-dp", "sensitive": "g", "settings": {},
             "group_thresholds": {"x": {"p0": 1, "threshold0": 0.5, "p1": 0, "threshold1": "inf"}}}}
            """#.write(to: thresholds, atomically: true, encoding: .utf8)
        let unknown = try CLIProcess.run(["fairness", "predict", "--model", thresholds.path, "--data", data.path, "--out", out.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'zz'") && unknown.stderr.contains("row 2"), "stderr: \(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("compare on Adult prints the documented JSON array; progress goes to stderr")
    func compare() throws {
        let result = try CLIProcess.run(["fairness", "compare", "--dataset", "adult", "--sensitive", "sex",
                                         "--mitigations", "none,threshold-dp", "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.map { $0["mitigation"] as? String } == ["none", "threshold-dp"])
        for row in rows {
            #expect(Set(row.keys) == ["mitigation", "accuracy", "demographic_parity_difference", "equalized_odds_difference", "seconds"])
        }
        // Threshold optimization for demographic parity must shrink the selection-rate gap.
        let dp = rows.compactMap { $0["demographic_parity_difference"] as? Double }
        #expect(dp.count == 2 && dp[1] < dp[0] / 5)
        #expect(result.stderr.contains("threshold-dp"))
    }

    @Test("compare as HTML: a self-contained page with the accuracy-disparity plots; an unknown mitigation is exit 2")
    func compareHTML() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("compare.html")
        let result = try CLIProcess.run(["fairness", "compare", "--dataset", "german", "--format", "html", "--out", page.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("Accuracy vs demographic parity difference") && html.contains("Accuracy vs equalized odds difference"))
        for method in ["none", "reweighing", "expgrad-dp", "expgrad-eo", "threshold-dp", "threshold-eo"] { #expect(html.contains(method)) }
        let unknown = try CLIProcess.run(["fairness", "compare", "--dataset", "german", "--mitigations", "none,magic"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'magic'"))
    }
}
