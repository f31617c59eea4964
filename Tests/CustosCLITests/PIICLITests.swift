import Foundation
import Testing

@Suite("custos pii (the executable)")
struct PIICLITests {
    @Test("scan --jsonl --format json prints {index, spans[start, end, type, score]} per line in scalar offsets")
    func scanJSONL() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("in.jsonl")
        let lines = ["{\"text\": \"👩‍👩‍👧 mail ana@example.org\", \"id\": 1}", "", "{\"text\": \"nothing here\"}"]
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["pii", "scan", "--jsonl", file.path, "--format", "json", "--no-gazetteer"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(out.count == 2)
        #expect(out[0]?["index"] as? Int == 0)
        let spans = try #require(out[0]?["spans"] as? [[String: Any]])
        #expect(spans.count == 1)
        #expect(Set(spans[0].keys) == ["start", "end", "type", "score"])
        #expect(spans[0]["start"] as? Int == 11)  // 5 scalars of emoji + ZWJs, a space, "mail "
        #expect(spans[0]["end"] as? Int == 26)
        #expect(spans[0]["type"] as? String == "EMAIL_ADDRESS")
        #expect((out[1]?["spans"] as? [Any])?.isEmpty == true)
    }

    @Test("invalid UTF-8 is refused with the byte offset (exit 2) unless --lossy")
    func invalidUTF8() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.txt")
        try Data([0x61, 0x62, 0x20, 0xC3, 0x28, 0x20] + Array(" ana@example.org".utf8)).write(to: file)
        let strict = try CLIProcess.run(["pii", "scan", "--file", file.path, "--no-gazetteer"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("byte 3"), "\(strict.stderr)")
        #expect(strict.stdout.isEmpty)
        let lossy = try CLIProcess.run(["pii", "scan", "--file", file.path, "--no-gazetteer", "--lossy", "--format", "json"])
        #expect(lossy.status == 0, "\(lossy.stderr)")
        #expect(lossy.stdout.contains("EMAIL_ADDRESS"))
    }

    @Test("redact with pseudonymize, then restore, gives the text back; a bad key file is exit 2 and writes nothing")
    func redactRestore() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("k").path
        let vault = dir.appendingPathComponent("vault.json").path
        let masked = dir.appendingPathComponent("masked.txt").path
        #expect(try CLIProcess.run(["pii", "key", "--out", key]).status == 0)
        #expect(try CLIProcess.run(["pii", "key", "--out", key]).status == 2)  // never overwritten
        let text = "Call +1 (283) 422-0203 or write to ana.lopez@example.org, card 4111 1111 1111 1111"
        let redacted = try CLIProcess.run(["pii", "redact", text, "--no-gazetteer", "--operator", "DEFAULT=pseudonymize,CREDIT_CARD=mask:4",
                                           "--key-file", key, "--vault", vault, "--out", masked])
        #expect(redacted.status == 0, "\(redacted.stderr)")
        let maskedText = try String(contentsOfFile: masked, encoding: .utf8)
        #expect(!maskedText.contains("ana.lopez"))
        #expect(maskedText.contains("**** **** **** 1111"))
        let restored = try CLIProcess.run(["pii", "restore", "--file", masked, "--key-file", key, "--vault", vault])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == text.replacingOccurrences(of: "4111 1111 1111 1111", with: "**** **** **** 1111") + "\n")

        let badKey = dir.appendingPathComponent("bad.key").path
        try "not a key".write(toFile: badKey, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("never.txt").path
        let failed = try CLIProcess.run(["pii", "redact", text, "--no-gazetteer", "--operator", "DEFAULT=hash", "--key-file", badKey, "--out", out])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("bad.key"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a custom recognizer with a bad regex is exit 2 naming the YAML line")
    func badRecognizer() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent("r.yaml")
        try "recognizers:\n  - name: x\n    entity: X\n    patterns:\n      - regex: '([a-z'\n".write(to: yaml, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["pii", "scan", "abc", "--no-gazetteer", "--recognizers", yaml.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("r.yaml:5"), "\(result.stderr)")
    }
}
