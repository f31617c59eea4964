import Foundation
import Testing

@Suite("custos dp train (the executable)")
struct DPTrainCLITests {
    /// 300 rows of two numeric features and a label that follows x1 − x2 (deterministic, so no seed is needed).
    static func writeData(to url: URL) throws {
        var text = "x1,x2,y\n"
        for i in 0..<300 {
            let a = Double(i % 17) / 8 - 1
            let b = Double((i * 7) % 13) / 6 - 1
            text += "\(a),\(b),\(a - b + (i % 5 == 0 ? 0.3 : 0) > 0 ? 1 : 0)\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("dp train reports the spent (ε, δ) within the target, σ, steps and test accuracy; progress on stderr; the model predicts")
    func trainsAndReports() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("train.csv")
        try Self.writeData(to: data)
        let model = dir.appendingPathComponent("model.json")
        let result = try CLIProcess.run([
            "dp", "train", "--data", data.path, "--label", "y", "--epsilon", "4", "--delta", "1e-5", "--test", data.path,
            "--batch-size", "50", "--epochs", "20", "--output", model.path, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let epsilon = try #require(object["epsilon"] as? Double)
        #expect(epsilon <= 4 && epsilon > 3)
        #expect(object["delta"] as? Double == 1e-5)
        #expect((object["noise_multiplier"] as? Double ?? 0) > 0)
        #expect(object["steps"] as? Int == 120)
        #expect((object["test_accuracy"] as? Double ?? 0) > 0.7)
        #expect(result.stderr.contains("step 120/120"))
        // The model file records the guarantee and `fairness predict` reads it.
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        let privacy = try #require(saved["privacy"] as? [String: Any])
        #expect(privacy["epsilon"] as? Double == epsilon && privacy["mechanism"] as? String == "dp-sgd")
        let predicted = try CLIProcess.run(["fairness", "predict", "--model", model.path, "--data", data.path])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stdout.split(separator: "\n").count == 301)
    }

    @Test("dp train refuses ε ≤ 0, δ ∉ (0, 1), non-numeric options and values, and empty data with exit 2, printing nothing")
    func badInput() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("train.csv")
        try Self.writeData(to: data)
        let text = dir.appendingPathComponent("text.csv")
        try "x1,y\n1,1\nabc,0\n".write(to: text, atomically: true, encoding: .utf8)
        let empty = dir.appendingPathComponent("empty.csv")
        try "x1,y\n".write(to: empty, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--data", data.path, "--epsilon", "0", "--delta", "1e-5"], "--epsilon must be positive"),
            (["--data", data.path, "--epsilon", "-1", "--delta", "1e-5"], "--epsilon"),
            (["--data", data.path, "--epsilon", "one", "--delta", "1e-5"], "--epsilon"),
            (["--data", data.path, "--epsilon", "1", "--delta", "1"], "--delta must be below 1"),
            (["--data", data.path, "--epsilon", "1", "--delta", "0"], "--delta must be positive"),
            (["--data", text.path, "--epsilon", "1", "--delta", "1e-5"], "'abc'"),
            (["--data", empty.path, "--epsilon", "1", "--delta", "1e-5"], "no rows"),
        ]
        for (arguments, mention) in cases {
            let result = try CLIProcess.run(["dp", "train", "--label", "y", "--batch-size", "1"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
        }
    }

    @Test("with --schema, declared bounds and levels become the model's preprocessing; a bad schema is exit 2")
    func schema() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("people.csv")
        var text = "age,group,y\n"
        for i in 0..<200 { text += "\(20 + i % 50),\(i % 3 == 0 ? "a" : "b"),\(i % 50 > 25 ? 1 : 0)\n" }
        try text.write(to: data, atomically: true, encoding: .utf8)
        let schema = dir.appendingPathComponent("schema.json")
        try #"{"numeric": [{"column": "age", "lower": 0, "upper": 100}], "categorical": [{"column": "group", "levels": ["a", "b", "c"]}]}"#
            .write(to: schema, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("model.json")
        let base = ["dp", "train", "--data", data.path, "--label", "y", "--epsilon", "2", "--delta", "1e-5", "--batch-size", "20"]
        let result = try CLIProcess.run(base + ["--schema", schema.path, "--output", model.path])
        #expect(result.status == 0, "\(result.stderr)")
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as? [String: Any])
        #expect(saved["features"] as? [String] == ["num__age", "cat__group_a", "cat__group_b", "cat__group_c"])
        let steps = try #require(saved["preprocessing"] as? [[String: Any]])
        #expect(steps.first?["mean"] as? Double == 50 && steps.first?["scale"] as? Double == 50)
        try #"{"numeric": [{"column": "age", "lower": 5, "upper": 1}]}"#.write(to: schema, atomically: true, encoding: .utf8)
        let bad = try CLIProcess.run(base + ["--schema", schema.path])
        #expect(bad.status == 2 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("lower < upper"), "\(bad.stderr)")
        try #"{"numeric": [{"column": "age", "lower": 0}]}"#.write(to: schema, atomically: true, encoding: .utf8)
        let missing = try CLIProcess.run(base + ["--schema", schema.path])
        #expect(missing.status == 2 && missing.stderr.contains("missing $.numeric[0].upper"), "\(missing.stderr)")
        // Without a schema the text column is refused, naming it.
        let raw = try CLIProcess.run(base)
        #expect(raw.status == 2 && raw.stderr.contains("column 'group'"), "\(raw.stderr)")
    }

    @Test("with --dataset, training is refused before it starts when the budget would be exceeded, and charged when it fits")
    func ledger() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let data = home.appendingPathComponent("train.csv")
        try Self.writeData(to: data)
        let model = home.appendingPathComponent("model.json")
        let common = ["--home", home.path, "--analyst", "ana", "--dataset", "train"]
        #expect(try CLIProcess.run(["dp", "budget", "set", "--epsilon", "2", "--delta", "1e-5"] + common).status == 0)
        let train = ["dp", "train", "--data", data.path, "--label", "y", "--delta", "1e-5", "--batch-size", "50", "--output", model.path] + common
        let refused = try CLIProcess.run(train + ["--epsilon", "3"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("privacy budget exceeded") && !refused.stderr.contains("step "))
        #expect(!FileManager.default.fileExists(atPath: model.path))
        let charged = try CLIProcess.run(train + ["--epsilon", "1.5"])
        #expect(charged.status == 0, "\(charged.stderr)")
        let status = try CLIProcess.run(["dp", "budget", "show", "--format", "json"] + common)
        #expect(status.stdout.contains("\"releases\":1"), "\(status.stdout)")
    }
}
