import Foundation
import Testing

@Suite("custos scan / guard (the executable)")
struct GuardCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/guard")

    @Test("guard score prints one {index, score, flagged, findings} line per input with exact secret spans")
    func score() throws {
        let result = try CLIProcess.run(["guard", "score", "--scanner", "secrets", "--jsonl", Self.fixtures.appendingPathComponent("secrets_dev.jsonl").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 178)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["index", "score", "flagged", "findings"])
        let findings = try #require(first["findings"] as? [[String: Any]])
        #expect(findings.map { $0["start"] as? Int } == [69, 112])
        #expect(findings.map { $0["type"] as? String } == ["aws_access_key_id", "aws_secret_access_key"])
        #expect(first["flagged"] as? Bool == true)
    }

    @Test("guard eval --format json prints the documented keys, with --perturb per perturbation")
    func evalJSON() throws {
        let policy = Self.fixtures.appendingPathComponent("banned_words_policy.yaml").path
        let set = Self.fixtures.appendingPathComponent("banned_words_eval.jsonl").path
        let result = try CLIProcess.run(["guard", "eval", "--scanner", "banned_words", "--policy", policy, "--set", set, "--perturb", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["precision", "recall", "f1", "auc", "threshold", "n"] { #expect(object[key] != nil, "\(key)") }
        #expect(object["n"] as? Int == 80)
        let perturbations = try #require(object["perturbations"] as? [String: [String: Any]])
        #expect(Set(perturbations.keys) == ["leetspeak", "homoglyph", "zero-width", "spacing"])
        #expect(perturbations["homoglyph"]?["recall"] as? Double == 1)
    }

    @Test("bad input exits 2 with a precise message: invalid policy, unknown scanner, invalid UTF-8, missing field")
    func badInput() throws {
        let dir = try CLIProcess.temporaryDirectory()
        let policy = dir.appendingPathComponent("p.yaml")
        try "input:\n  - scanner: secrets\n  - scanner: nope\n".write(to: policy, atomically: true, encoding: .utf8)
        var result = try CLIProcess.run(["scan", "--policy", policy.path, "hello"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("p.yaml:3") && result.stderr.contains("unknown scanner 'nope'"), "\(result.stderr)")

        result = try CLIProcess.run(["guard", "score", "--scanner", "nope", "--jsonl", policy.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown scanner 'nope'"))

        let bad = dir.appendingPathComponent("bad.jsonl")
        try Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A]).write(to: bad)
        result = try CLIProcess.run(["guard", "score", "--scanner", "secrets", "--jsonl", bad.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid UTF-8") && result.stderr.contains("byte 9"), "\(result.stderr)")

        let noField = dir.appendingPathComponent("nofield.jsonl")
        try "{\"prompt\": \"hi\"}\n".write(to: noField, atomically: true, encoding: .utf8)
        result = try CLIProcess.run(["guard", "score", "--scanner", "secrets", "--jsonl", noField.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no text field 'text'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("scan prints a JSON decision with the action, fired scanners, spans and policy version")
    func scanJSON() throws {
        let dir = try CLIProcess.temporaryDirectory()
        let policy = dir.appendingPathComponent("p.yaml")
        try "input:\n  - scanner: secrets\n    action: redact\n".write(to: policy, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["scan", "--policy", policy.path, "--format", "json", "token ghp_f76ZnFjid23weN3xBGhlKYggT1vbMn2isG5t ok"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["action"] as? String == "redact")
        #expect(object["fired"] as? [String] == ["secrets"])
        #expect(object["sanitized"] as? String == "token [GITHUB_CLASSIC] ok")
        #expect((object["policy_version"] as? String)?.count == 64)
    }
}
