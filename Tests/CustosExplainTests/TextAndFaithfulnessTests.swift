import CustosCore
import CustosExplain
import CustosGuard
import CustosML
import Foundation
import Testing

@Suite("Word-level text explanations and faithfulness curves")
struct TextAndFaithfulnessTests {
    static let offensive = Result { try ScannerRegistry.builtIn.make("offensive", environment: ScannerEnvironment()) }

    @Test("words split as \\w+ and masking keeps the text between them")
    func segmentation() {
        let words = WordSegmentation("Hé, you—idiot!  ok")
        #expect(words.words.map(\.text) == ["Hé", "you", "idiot", "ok"])
        #expect(words.words[2].start == 8 && words.words[2].end == 13)
        #expect(words.keeping([true, false, true, false]) == "Hé, —idiot!  ")
    }

    @Test("exact word Shapley values of the offensive scanner sum to score(text) − score(no words); the insult leads")
    func offensiveExact() throws {
        let scorer = ScannerTextScorer(try Self.offensive.get())
        let text = "thanks for the help you stupid idiot"
        let explanation = try TextExplainer(method: .auto).explain(text, scorer: scorer)
        #expect(explanation.method == .exact)
        let scores = try scorer.score([text, ""])
        #expect(abs(explanation.prediction - scores[0]) < 1e-12)
        #expect(abs(explanation.baseValue - scores[1]) < 1e-12)
        #expect(abs(explanation.words.map(\.value).reduce(0, +) - (scores[0] - scores[1])) < 1e-9)
        let top = try #require(explanation.words.max { $0.value < $1.value })
        #expect(["stupid", "idiot"].contains(top.text))
        // KernelSHAP with a budget covering all 2^7 − 2 coalitions enumerates them: the same values.
        let kernel = try TextExplainer(method: .kernel, samples: 126).explain(text, scorer: scorer)
        #expect(ShapReference.maxDifference(kernel.words.map(\.value), explanation.words.map(\.value)) < 1e-9)
        let html = explanation.renderHTML()
        #expect(html.contains("<svg") && html.contains("idiot"))
    }

    @Test("deletion and insertion curves run from f(x) to the base value, and Shapley order beats its reverse")
    func aopc() throws {
        let reference = try ShapReference.shared.get()
        let model = try reference.standardizedModel
        for row in reference.rows {
            let game = try InterventionalGame(model: model, row: row.standardized, background: reference.background)
            let curves = try FaithfulnessCurves.measure(game, attributions: row.exact)
            #expect(abs(curves.deletion.first! - row.prediction) < 1e-12)
            #expect(abs(curves.deletion.last! - reference.baseValue) < 1e-12)
            #expect(abs(curves.insertion.first! - reference.baseValue) < 1e-12)
            #expect(abs(curves.insertion.last! - row.prediction) < 1e-12)
            let reversed = try FaithfulnessCurves.measure(game, order: curves.order.reversed())
            #expect(curves.aopcDeletion > reversed.aopcDeletion)
            #expect(curves.aopcInsertion > reversed.aopcInsertion)
        }
    }
}
