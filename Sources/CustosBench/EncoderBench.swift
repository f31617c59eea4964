import ArgumentParser
import CustosCore
import CustosML
import Foundation

/// `custos-bench encoder`: sentences per second of all-MiniLM-L6-v2 embeddings (tokenization through
/// normalization, in process, model loaded once) for 32 sentences of ~20 tokens and 8 of ~200 tokens,
/// against PyTorch (`scripts/peers/encoder.py`) on the same sentences. One JSON line per workload.
struct EncoderBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encoder")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Threads for the peer (torch.set_num_threads); Custos uses all cores.")
    var peerThreads = 2

    @Option(help: "How Custos spreads a batch over the cores: batch (one text per core) or blas (OpenBLAS threads).")
    var parallelism = "batch"

    @Option(help: "Precision of the encoder's linear layers: float32 or bfloat16 (AMX tiles where the CPU has them).")
    var precision = "float32"

    @Option(help: "Custos home with the minilm asset.")
    var home: String?

    /// Frequent English words that are single tokens in the MiniLM vocabulary, so a sentence of k words is k + 2 tokens.
    static let words = """
        the of and to in is was for on are as with his they at be this from have or by one had not but what all were when \
        we there can an your which their said if do will each about how up out them then she many some so these would other \
        into has more her two like him see time could no make than first been its who now people my made over did down only \
        way find use may water long little very after words called just where most know get through back much before go good \
        new write our used me man too any day same right look think also around another came come work three word must because \
        does part even place well such here take why things help put years different away again off went old number great tell \
        men say small every found still between name should home big give air line set own under read last never us left end \
        along while might next sound below saw something thought both few those always looked show large often together asked \
        house world going want school important until form food keep children feet land side without boy once animals life enough
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// `count` deterministic sentences of `words` words each.
    static func sentences(count: Int, words length: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<length).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
        }
    }

    func run() throws {
        let customHome = CustosHome(path: home)
        let modelConfig = try customHome.require(asset: Embedder.assetName, file: "model/config.json")
        let modelDirectory = (modelConfig as NSString).deletingLastPathComponent
        guard let precision = BertEncoder.Precision(rawValue: precision) else {
            throw ValidationError("--precision must be float32 or bfloat16")
        }
        let embedder = try Embedder(directory: modelDirectory, precision: precision)
        guard let mode = Embedder.Parallelism(rawValue: parallelism) else {
            throw ValidationError("--parallelism must be batch or blas")
        }
        for (count, length) in [(32, 18), (8, 198)] {
            let texts = Self.sentences(count: count, words: length, seed: UInt64(count * 1000 + length))
            let tokens = embedder.tokenizer.tokenize(texts[0]).ids.count
            let options = Embedder.Options(parallelism: mode)
            _ = try embedder.embed(texts, options: options)  // warm-up
            var times: [Double] = []
            for _ in 0..<bench.runs {
                let start = DispatchTime.now()
                _ = try embedder.embed(texts, options: options)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            }
            let custos = ProcessTimer.median(times)

            let file = NSTemporaryDirectory() + "custos-bench-encoder-\(count)x\(tokens).txt"
            try FileInput.writeAtomically(texts.joined(separator: "\n") + "\n", to: file)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (_, stdout) = try ProcessTimer.time(
                bench.python,
                ["scripts/peers/encoder.py", modelDirectory, file, "--runs", "\(bench.runs)", "--threads", "\(peerThreads)"])
            guard let line = stdout.split(separator: "\n").last, let data = line.data(using: .utf8),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let peer = object["seconds"] as? Double
            else {
                throw CustosError(.internal, "the peer printed no timing: \(stdout.suffix(300))")
            }
            let torch = object["torch"] as? String ?? "?"
            try EncoderBenchLine(
                bench: "encoder-\(count)x\(tokens)tok", custos_s: custos,
                peer: "PyTorch \(torch) + transformers BertModel, \(peerThreads) threads (scripts/peers/encoder.py)",
                peer_s: peer, ratio: peer / custos,
                custos_sentences_per_s: Double(count) / custos, peer_sentences_per_s: Double(count) / peer,
                sentences: count, tokens_per_sentence: tokens, runs: bench.runs,
                note: "in process, median of \(bench.runs); one pass = tokenize, encode, mean-pool, normalize all \(count) sentences; "
                    + "custos: \(Parallel.threadCount) threads, parallelism \(mode.rawValue), precision \(precision.rawValue)"
                    + "\(embedder.encoder.bfloat16Kernel.map { " (\($0.rawValue) kernel)" } ?? ""), OpenBLAS kernels \(BLASCore.name); "
                    + "ratio = peer_s / custos_s"
            ).print()
        }
    }
}

/// The encoder benchmark's result line: the common fields plus throughput.
struct EncoderBenchLine: Encodable {
    var bench: String
    var custos_s: Double
    var peer: String
    var peer_s: Double
    var ratio: Double
    var custos_sentences_per_s: Double
    var peer_sentences_per_s: Double
    var sentences: Int
    var tokens_per_sentence: Int
    var runs: Int
    var note: String

    func print() throws { try printJSONLine(self) }
}
