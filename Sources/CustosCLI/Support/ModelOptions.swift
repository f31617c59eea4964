import ArgumentParser
import CustosCore
import CustosML

/// `--model DIR` and `--home DIR`, shared by the commands that run the MiniLM encoder.
struct ModelOptions: ParsableArguments {
    @Option(help: "A BERT model directory (config.json, model.safetensors, vocab.txt); default: the installed all-MiniLM-L6-v2.")
    var model: String?

    @OptionGroup var home: HomeOptions

    /// Loads the embedder once.
    func embedder() throws -> Embedder {
        if let model { return try Embedder(directory: model) }
        return try Embedder(home: home.custosHome)
    }
}
