import Foundation
import Testing

@Suite("custos bias (the executable)")
struct BiasCLITests {
    @Test("bias weat --format json prints the documented entries, run or skipped, in file order")
    func weatJSON() throws {
        let result = try CLIProcess.run(["bias", "weat", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let tests = try #require(object["tests"] as? [[String: Any]])
        #expect(tests.compactMap { $0["index"] as? Int } == Array(0..<10))
        let six = try #require(tests.first { $0["index"] as? Int == 6 })
        #expect(six["name"] as? String == "Math vs Arts / Male terms vs Female terms")
        #expect(six["permutations"] as? String == "exact")
        #expect((six["sizes_used"] as? [String: Int])?["first_target"] == 7)
        #expect((six["dropped"] as? [String: [String]])?["first_target"]?.count == 1)
        let one = try #require(tests.first { $0["index"] as? Int == 1 })
        #expect(one["permutations"] as? Int == 100_000)
        let zero = try #require(tests.first { $0["index"] as? Int == 0 })
        #expect((zero["skipped"] as? String)?.contains("fewer than half") == true && zero["effect_size"] == nil)
    }

    @Test("bias classifier audits the offensive scanner; bad templates and options exit 2 naming the problem")
    func classifier() throws {
        let result = try CLIProcess.run(["bias", "classifier", "--scanner", "offensive", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let groups = try #require(object["subgroups"] as? [[String: Any]])
        #expect(groups.count == 41)
        for key in ["identity", "category", "fpr", "fnr", "subgroup_auc", "bpsn_auc", "bnsp_auc"] { #expect(groups[0][key] != nil, "\(key)") }
        #expect(object["final_metric"] as? Double != nil)

        let dir = try CLIProcess.temporaryDirectory()
        let templates = dir.appendingPathComponent("t.yaml")
        try "identities: {a: [x]}\ntemplates: {toxic: [\"no slot\"], non_toxic: [\"{identity}\"]}\n".write(to: templates, atomically: true, encoding: .utf8)
        let bad = try CLIProcess.run(["bias", "classifier", "--scanner", "offensive", "--templates", templates.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("t.yaml") && bad.stderr.contains("exactly one"), "\(bad.stderr)")
        let unknown = try CLIProcess.run(["bias", "weat", "--only", "12"])
        #expect(unknown.status == 2 && unknown.stderr.contains("tests 0–9"), "\(unknown.stderr)")
        let vectors = dir.appendingPathComponent("v.bin")
        try Data("3 300\nword".utf8).write(to: vectors)
        let truncated = try CLIProcess.run(["bias", "weat", "--embeddings", vectors.path])
        #expect(truncated.status == 2 && truncated.stderr.contains("v.bin"), "\(truncated.stderr)")
    }
}
