import ArgumentParser
import CustosCore
import CustosML
import CustosReport
import Foundation

/// Output formats of `custos similarity`.
enum SimilarityFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The JSON result of `custos similarity`.
struct SimilarityResult: Encodable {
    var cosineSimilarity: Float
    var truncated: [Bool]

    enum CodingKeys: String, CodingKey {
        case cosineSimilarity = "cosine_similarity"
        case truncated
    }
}

/// `custos similarity A B`: cosine similarity of two texts' embeddings.
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Cosine similarity of two texts' all-MiniLM-L6-v2 embeddings (-1 … 1).")

    @Argument(help: "First text.")
    var a: String

    @Argument(help: "Second text.")
    var b: String

    @Option(help: "Output format: text (the number) or json.")
    var format: SimilarityFormat = .text

    @OptionGroup var model: ModelOptions

    func run() throws {
        try ArgumentEncoding.requireValidUTF8()
        let embedder = try model.embedder()
        let pair = try embedder.embed([a, b])
        let similarity = pair[0].cosineSimilarity(to: pair[1])
        switch format {
        case .text: print(String(format: "%.4f", similarity))
        case .json:
            print(try JSONOutput.encode(SimilarityResult(cosineSimilarity: similarity, truncated: pair.map(\.truncated)), pretty: false))
        }
        if pair.contains(where: \.truncated) {
            printError("custos: note: a text longer than \(embedder.tokenizer.maxLength) tokens was truncated")
        }
    }
}
