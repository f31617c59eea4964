import CustosCore
import CustosGuard
import Testing

@Suite("Guard policy (YAML)")
struct PolicyTests {
    static let yaml = """
        name: test
        fail_mode: open
        input:
          - scanner: secrets
            action: redact
          - scanner: banned_words
            action: block
            threshold: 0.5
            options:
              words: [forbidden, "secret plan"]
        output:
          - scanner: refusal
            action: flag
        """

    @Test("a valid policy parses with its scanners, actions, thresholds and options")
    func parses() throws {
        let policy = try PolicyLoader.parse(Self.yaml)
        #expect(policy.name == "test")
        #expect(policy.failMode == .open)
        #expect(policy.input.map(\.scanner) == ["secrets", "banned_words"])
        #expect(policy.input.map(\.action) == [.redact, .block])
        #expect(policy.input[1].threshold == 0.5)
        #expect(try policy.input[1].options.strings("words") == ["forbidden", "secret plan"])
        #expect(policy.output.map(\.scanner) == ["refusal"])
    }

    @Test("the version hash ignores comments and layout but changes with any setting")
    func versionHash() throws {
        let base = try PolicyLoader.parse(Self.yaml).versionHash
        let reformatted = "# a comment\n" + Self.yaml.replacingOccurrences(of: "[forbidden, \"secret plan\"]", with: "\n        - forbidden\n        - secret plan")
        #expect(try PolicyLoader.parse(reformatted).versionHash == base)
        let changed = Self.yaml.replacingOccurrences(of: "threshold: 0.5", with: "threshold: 0.6")
        #expect(try PolicyLoader.parse(changed).versionHash != base)
        #expect(base.count == 64)
    }

    @Test("errors name the line: unknown scanner, bad action, bad threshold, unknown option, bad YAML")
    func errorsNameTheLine() throws {
        let cases: [(String, String, Int)] = [
            (Self.yaml.replacingOccurrences(of: "scanner: refusal", with: "scanner: refusals"), "unknown scanner 'refusals'", 12),
            (Self.yaml.replacingOccurrences(of: "action: redact", with: "action: delete"), "action must be one of", 5),
            (Self.yaml.replacingOccurrences(of: "threshold: 0.5", with: "threshold: 2"), "threshold must be a number in 0...1", 8),
            (Self.yaml.replacingOccurrences(of: "words:", with: "wordz:"), "unknown option 'wordz'", 10),
            (Self.yaml.replacingOccurrences(of: "fail_mode: open", with: "fail_mode: [open"), "not valid YAML", 3),
            ("name: x\n", "the policy has no scanners", 1),
        ]
        for (yaml, message, line) in cases {
            let error = #expect(throws: CustosError.self) { try PolicyLoader.parse(yaml, file: "p.yaml") }
            #expect(error?.message.contains(message) == true, "\(String(describing: error))")
            #expect(error?.location?.line == line, "\(message): \(String(describing: error))")
            #expect(error?.location?.file == "p.yaml")
            #expect(error?.exitCode == 2)
        }
    }

    @Test("the MiniLM scanners' precision option accepts float32 and bfloat16 and names the line of anything else")
    func precisionOption() throws {
        for value in ["float32", "bfloat16"] {
            _ = try PolicyLoader.parse("input:\n  - scanner: jailbreak\n    options:\n      precision: \(value)\n")
        }
        let yaml = "input:\n  - scanner: length\n  - scanner: topic\n    options:\n      denied: [weapons]\n      precision: float16\n"
        let error = #expect(throws: CustosError.self) { try PolicyLoader.parse(yaml, file: "p.yaml") }
        #expect(error?.message.contains("precision must be one of float32, bfloat16, not 'float16'") == true, "\(String(describing: error))")
        #expect(error?.location?.line == 6)
    }

    @Test("an invalid banned-words regular expression is reported with its line")
    func badRegex() throws {
        let yaml = "input:\n  - scanner: banned_words\n    options:\n      patterns: ['(unclosed']\n"
        let error = #expect(throws: CustosError.self) { try PolicyLoader.parse(yaml) }
        #expect(error?.message.contains("not a valid regular expression") == true)
    }
}
