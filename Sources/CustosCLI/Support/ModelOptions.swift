import ArgumentParser
import CustosCore
import CustosML

/// `--model DIR` and `--home DIR`, shared by the commands that run the MiniLM encoder.
struct ModelOptions: ParsableArguments {
    @Option(help: "A BERT model directory (config.json, model.safetensors, vocab.txt); default: the installed all-MiniLM-L6-v2.")
    var model: String?

    @Option(help: "Precision of the linear layers: float32 (the reference's numbers) or bfloat16 (AMX tiles where the CPU has them; cosine ≥ 0.9995 to float32).")
    var precision: String = BertEncoder.Precision.float32.rawValue

    @OptionGroup var home: HomeOptions

    /// Loads the embedder once.
    func embedder() throws -> Embedder {
        guard let precision = BertEncoder.Precision(rawValue: precision) else {
            throw CustosError(
                .usage, "--precision must be one of \(BertEncoder.Precision.allCases.map(\.rawValue).joined(separator: ", ")), not '\(precision)'")
        }
        if let model { return try Embedder(directory: model, precision: precision) }
        return try Embedder(home: home.custosHome, precision: precision)
    }
}
