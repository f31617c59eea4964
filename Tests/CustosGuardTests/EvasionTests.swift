import CustosGuard
import Testing

/// The evasion bar: detection of positives drops by at most 5 percentage points under each perturbation.
@Suite("Evasion (perturbed positives)")
struct EvasionTests {
    static let maximumDropPP = 5.0

    @Test("offensive: leetspeak, homoglyph, zero-width and spacing cost at most 5 pp of detection")
    func offensive() throws {
        // The labels are the original model's verdicts: with identity terms scored as it scores them, every positive
        // is caught clean; with them neutral (the default) the identity-driven verdicts go (docs/bias.md). Either way
        // the perturbations may cost at most 5 points.
        let set = try LabeledText.read(GuardFixtures.path("offensive_eval.jsonl"))
        for mode in OffensiveScanner.IdentityTerms.allCases {
            let evaluation = try ScannerEvaluation.run(OffensiveScanner(identityTerms: mode), on: set, perturb: true)
            if mode == .scored { #expect(evaluation.clean.recall == 1) }
            #expect(evaluation.perturbations.count == Perturbation.allCases.count)
            for (name, perturbed) in evaluation.perturbations {
                #expect(perturbed.detectionDropPP <= Self.maximumDropPP, "\(mode) \(name): \(perturbed.detectionDropPP) pp")
            }
        }
    }

    @Test("banned words: every perturbation is still caught, near-misses are not flagged")
    func bannedWords() throws {
        let set = try LabeledText.read(GuardFixtures.path("banned_words_eval.jsonl"))
        let policy = try PolicyLoader.load(path: GuardFixtures.path("banned_words_policy.yaml"))
        let scanner = try ScannerRegistry.builtIn.make("banned_words", options: policy.input[0].options, environment: ScannerEnvironment())
        let evaluation = try ScannerEvaluation.run(scanner, on: set, perturb: true)
        #expect(evaluation.clean.precision == 1 && evaluation.clean.recall == 1)
        for (name, perturbed) in evaluation.perturbations {
            #expect(perturbed.detectionDropPP <= Self.maximumDropPP, "\(name): \(perturbed.detectionDropPP) pp")
        }
    }
}
