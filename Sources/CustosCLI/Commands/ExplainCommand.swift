import ArgumentParser
import CustosCore
import CustosML
import Foundation

/// `custos explain …`.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain model behaviour: attention maps, Shapley values, LIME, word-level text attributions.",
        subcommands: [ExplainAttentionCommand.self, ExplainShapCommand.self, ExplainLimeCommand.self, ExplainTextCommand.self])
}

/// `custos explain attention TEXT --out attention.html`.
struct ExplainAttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Attention heatmaps (per layer and head) and attention rollout for a text, as a self-contained HTML page.")

    @Argument(help: "The text to explain.")
    var text: String

    @Option(help: "Write the HTML page to this file (atomically) instead of stdout.")
    var out: String?

    @OptionGroup var model: ModelOptions

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let embedder = try model.embedder()
        let explanation = try AttentionExplanation(text: text, embedder: embedder)
        let html = explanation.renderHTML(title: "Attention: all-MiniLM-L6-v2")
        if let out {
            try FileInput.writeAtomically(html, to: out)
        } else {
            print(html, terminator: "")
        }
        if explanation.truncated {
            printError("custos: note: the text was truncated to \(explanation.tokens.count) tokens")
        }
    }
}
