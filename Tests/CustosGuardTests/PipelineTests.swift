import CustosCore
import CustosGuard
import Testing

/// A scanner a user brings that always fails: the pipeline must survive it.
private struct FailingScanner: Scanner {
    let name = "failing"
    let defaultThreshold = 0.5
    func scan(_ input: ScanInput) throws -> ScanResult { throw CustosError(.internal, "model server unreachable") }
}

@Suite("Guard pipeline")
struct PipelineTests {
    let registry = ScannerRegistry.builtIn.registering("failing") { _, _ in FailingScanner() }

    func pipeline(_ yaml: String) throws -> Pipeline {
        try Pipeline(policy: PolicyLoader.parse(yaml, registry: registry), registry: registry)
    }

    @Test("secrets are redacted, the decision names the scanner, its spans and the policy version")
    func redacts() throws {
        let p = try pipeline("input:\n  - scanner: secrets\n    action: redact\n  - scanner: offensive\n    action: block\n")
        let text = "my key is AKIATDNLUG3VVJAFR7LA thanks"
        let decision = try p.scan(text)
        #expect(decision.action == .redact)
        #expect(decision.fired == ["secrets"])
        #expect(decision.scanners.first?.findings == [Finding(start: 10, end: 30, type: "aws_access_key_id", score: 1)])
        #expect(decision.sanitized == "my key is [AWS_ACCESS_KEY_ID] thanks")
        #expect(decision.policyVersion == p.policy.versionHash)
        #expect(decision.scanners.count == 2)
    }

    @Test("the most severe action wins; evasions of banned words are caught")
    func blocks() throws {
        let p = try pipeline("input:\n  - scanner: secrets\n    action: redact\n  - scanner: banned_words\n    action: block\n    options:\n      words: [nightingale]\n")
        for text in ["Tell me about N1GHT1NGALE", "tell me about nіghtіngаle", "n i g h t i n g a l e?", "night\u{200B}ingale"] {
            let decision = try p.scan(text + " AKIATDNLUG3VVJAFR7LA")
            #expect(decision.action == .block, "\(text)")
            #expect(Set(decision.fired) == ["secrets", "banned_words"])
        }
        #expect(try p.scan("a song of the nightjar").action == .allow)
    }

    @Test("fail-closed blocks on a scanner error, fail-open lets the text through; both report the error")
    func failModes() throws {
        for (mode, action) in [("closed", GuardAction.block), ("open", GuardAction.allow)] {
            let p = try pipeline("fail_mode: \(mode)\ninput:\n  - scanner: failing\n    action: flag\n")
            let decision = try p.scan("hello")
            #expect(decision.action == action)
            #expect(decision.scanners[0].error?.contains("model server unreachable") == true)
        }
    }

    @Test("texts over the stated limit are refused with a precise error")
    func tooLarge() throws {
        let p = try pipeline("input:\n  - scanner: secrets\n")
        let big = String(repeating: "a", count: Pipeline.maximumTextBytes + 1)
        let error = #expect(throws: CustosError.self) { try p.scan(big) }
        #expect(error?.message.contains("over the guard's limit") == true)
    }

    @Test("isolation: process is read with its settings; bad values name the line; without a worker command the pipeline refuses")
    func isolationSettings() throws {
        let yaml = "isolation:\n  mode: process\n  workers: 3\n  timeout_seconds: 2.5\ninput:\n  - scanner: secrets\n"
        let policy = try PolicyLoader.parse(yaml, registry: registry)
        #expect(policy.isolation == Isolation(workers: 3, timeoutSeconds: 2.5))
        #expect(try PolicyLoader.parse("isolation:\n  mode: in_process\ninput:\n  - scanner: secrets\n", registry: registry).isolation == nil)
        // The setting is part of the policy's version.
        var plain = policy
        plain.isolation = nil
        #expect(policy.versionHash != plain.versionHash)
        for (bad, message, line) in [
            ("isolation:\n  mode: sandbox\n", "isolation.mode must be 'process' or 'in_process', got 'sandbox'", 2),
            ("isolation:\n  mode: process\n  workers: 0\n", "isolation.workers must be a whole number from 1 to 256, got '0'", 3),
            ("isolation:\n  mode: process\n  timeout_seconds: -1\n", "isolation.timeout_seconds must be a number of seconds above 0", 3),
            ("isolation:\n  workers: 2\n", "isolation needs a mode", 2),
        ] {
            let error = #expect(throws: CustosError.self) { try PolicyLoader.parse(bad + "input:\n  - scanner: secrets\n", file: "p.yaml", registry: registry) }
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
            #expect(error?.location?.line == line, "\(error?.description ?? "")")
        }
        let refused = #expect(throws: CustosError.self) { try Pipeline(policy: policy, registry: registry) }
        #expect(refused?.message.contains("no worker command is set") == true)
    }

    @Test("zero-width characters are reported in the decision")
    func reportsInvisible() throws {
        let decision = try pipeline("input:\n  - scanner: length\n    options:\n      max_scalars: 5\n").scan("he\u{200B}llo there")
        #expect(decision.invisible == [Finding(start: 2, end: 3, type: "zero_width")])
        #expect(decision.action == .block)
        #expect(decision.scanners[0].findings == [Finding(start: 5, end: 12, type: "too_long")])
    }
}

@Suite("Redaction")
struct RedactionTests {
    @Test("overlapping and adjacent spans are replaced once, Unicode-scalar offsets")
    func merges() {
        let text = "é key AKIA and ghp_x end"
        let findings = [Finding(start: 6, end: 10, type: "aws"), Finding(start: 8, end: 14, type: "other"), Finding(start: 15, end: 20, type: "github")]
        #expect(Redaction.apply(findings, to: text) == "é key [AWS] [GITHUB] end")
    }

    @Test("a span's original text keeps its combining marks; spans starting past the end are ignored")
    func originalTextAndBounds() throws {
        let text = "cafe\u{301} A B"  // 9 scalars: the accent is one of them
        var originals: [String] = []
        let findings = [Finding(start: 3, end: 5, type: "x"), Finding(start: 8, end: 9, type: "y"), Finding(start: 9, end: 12, type: "z")]
        let out = try Redaction.apply(findings, to: text) { finding, original in
            originals.append(original)
            return "<\(finding.type)>"
        }
        #expect(out == "caf<x> A <y>")
        #expect(originals.map { Array($0.unicodeScalars) } == [["e", "\u{301}"], ["B"]])
    }
}
