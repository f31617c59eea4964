import CustosCore
import CustosGuard
import Foundation
import Testing

/// One line of `profanity_golden_dev.jsonl`.
private struct GoldenLine: Decodable {
    var id: String
    var text: String
    var expected_prob: Double
    var expected_label: Int
}

@Suite("Offensive-language model")
struct OffensiveModelTests {
    @Test("probabilities equal profanity_check.predict_prob to 1e-9 on the 500 golden texts")
    func goldenProbabilities() throws {
        let model = try ProfanityModel.bundled()
        let golden = try GuardFixtures.lines("profanity_golden_dev.jsonl", as: GoldenLine.self)
        #expect(golden.count == 500)
        var worst = 0.0
        for line in golden {
            let p = model.probability(line.text)
            worst = max(worst, abs(p - line.expected_prob))
            #expect(abs(p - line.expected_prob) <= 1e-9, "\(line.id)")
            #expect((p > 0.5 ? 1 : 0) == line.expected_label, "\(line.id)")
        }
        #expect(worst <= 1e-9)
    }

    @Test("the scanner catches evasions of an offensive sentence and reports the word's span")
    func scannerFoldsEvasions() throws {
        let scanner = try OffensiveScanner()
        let clean = try scanner.scan(ScanInput("you are a fucking idiot"))
        #expect(clean.score > 0.9)
        #expect(clean.findings.contains { $0.start == 10 && $0.end == 17 })
        for perturbation in Perturbation.allCases {
            let text = perturbation.apply("you are a fucking idiot")
            #expect(try scanner.scan(ScanInput(text)).score > 0.5, "\(perturbation): \(text)")
        }
        #expect(try scanner.scan(ScanInput("have a lovely afternoon")).score < 0.5)
    }

    @Test("identity terms are neutral by default (benign self-descriptions pass, abuse is still caught); 'scored' is the original model")
    func identityTermsAreNeutral() throws {
        let model = try ProfanityModel.bundled()
        let neutral = try OffensiveScanner()
        let scored = try OffensiveScanner(identityTerms: .scored)
        for text in ["I am gay.", "I am queer.", "But most gay Russians don't have a", "Many homosexual people live in this city."] {
            #expect(model.probability(text) > 0.5, "the original model flags '\(text)'")
            #expect(try neutral.scan(ScanInput(text)).score < 0.5, "\(text)")
            #expect(try scored.scan(ScanInput(text)).score == model.probability(text))
        }
        for text in ["I hate all gay people, you disgusting idiots.", "Muslim people are filthy animals."] {
            #expect(try neutral.scan(ScanInput(text)).score > 0.5, "\(text)")
        }
        let registry = ScannerRegistry.builtIn
        let policy = try PolicyLoader.parse("input:\n  - scanner: offensive\n    options:\n      identity_terms: scored\n", registry: registry)
        #expect(policy.input.first?.options.values["identity_terms"] == .scalar("scored"))
        let wrong = "input:\n  - scanner: offensive\n    options:\n      identity_terms: ignore\n"
        let error = try #require(throws: CustosError.self) {
            let loaded = try PolicyLoader.parse(wrong, file: "p.yaml", registry: registry)
            _ = try registry.make("offensive", options: try #require(loaded.input.first).options, environment: ScannerEnvironment())
        }
        #expect(error.message.contains("identity_terms must be one of neutral, scored") && error.location?.line == 4, "\(error)")
    }
}
