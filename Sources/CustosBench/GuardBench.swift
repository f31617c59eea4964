import ArgumentParser
import CustosCore
import CustosGuard
import CustosML
import Foundation

/// `custos-bench guard`: three lines.
/// - `guard-offensive`: the offensive-language model on the 500 golden texts (×20), in process, against
///   `profanity_check.predict_prob` (`scripts/peers/guard.py`) on the same texts; also the largest |Δp|.
/// - `guard-policy`: MB/s of the default input policy without its embedding scanners, one thread.
/// - `guard-jailbreak`: prompts/s of the MiniLM jailbreak scanner on ~50-token prompts, all cores.
struct GuardBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "guard")

    @OptionGroup var bench: BenchOptions

    @Option(help: "The default policy file.")
    var policy = "policies/default.yaml"

    @Option(help: "Custos home with the minilm asset (the jailbreak line is skipped without it).")
    var home: String?

    /// Scanners that need the MiniLM encoder.
    static let embeddingScanners: Set<String> = ["jailbreak", "topic"]

    func run() throws {
        try offensive()
        try policyThroughput()
        try jailbreak()
    }

    private func offensive() throws {
        let fixture = "Tests/Fixtures/guard/profanity_golden_dev.jsonl"
        let golden = try JSONLReader.decode(LabeledTextLine.self, from: FileInput.readBytes(fixture), source: fixture)
        let texts = Array(repeating: golden.map(\.text), count: 20).flatMap { $0 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-bench-guard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("texts.jsonl").path
        let check = directory.appendingPathComponent("peer.json").path
        let lines = try texts.map { String(decoding: try JSONEncoder().encode(["text": $0]), as: UTF8.self) }
        try FileInput.writeAtomically(lines.joined(separator: "\n") + "\n", to: input)

        let model = try ProfanityModel.bundled()
        var ours: [Double] = []
        var times: [Double] = []
        for _ in 0..<bench.runs {
            let start = DispatchTime.now()
            ours = texts.map { model.probability($0) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let custos = ProcessTimer.median(times)
        let peerRun = try ProcessTimer.time(bench.python, ["scripts/peers/guard.py", input, "--runs", "\(bench.runs)", "--check", check])
        let peer = try JSONDecoder().decode(PeerResult.self, from: Data(peerRun.stdout.utf8))
        let theirs = try JSONDecoder().decode([Double].self, from: Data(contentsOf: URL(fileURLWithPath: check)))
        let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .nan
        try BenchLine(
            bench: "guard-offensive", custos_s: custos, peer: "profanity_check.predict_prob \(peer.version)", peer_s: peer.seconds,
            ratio: peer.seconds / custos, input: "\(texts.count) texts (the 500 golden texts x20)", runs: bench.runs,
            note: "in process, model loaded once, one thread each; max |p_custos - p_peer| = \(worst)"
        ).print()
    }

    private func policyThroughput() throws {
        setenv("CUSTOS_THREADS", "1", 1)
        defer { unsetenv("CUSTOS_THREADS") }
        var loaded = try PolicyLoader.load(path: policy, registry: .builtIn)
        loaded.input.removeAll { Self.embeddingScanners.contains($0.scanner) }
        loaded.isolation = nil
        let pipeline = try Pipeline(policy: loaded, registry: .builtIn)
        // ~2 KB prompts: ordinary prose with a credential line in every tenth, 10 MB in all.
        let prose = EncoderBench.sentences(count: 5000, words: 330, seed: 91)
        let texts = prose.enumerated().map { k, text in k % 10 == 0 ? text + "\nAWS_ACCESS_KEY_ID=AKIATDNLUG3VVJAFR7LA\n" : text }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var times: [Double] = []
        for _ in 0..<max(1, bench.runs / 2) {
            let start = DispatchTime.now()
            for text in texts { _ = try pipeline.scan(text) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let seconds = ProcessTimer.median(times)
        try printJSONObjectLine([
            "bench": "guard-policy", "custos_s": seconds, "mb_per_s": Double(bytes) / 1e6 / seconds, "bytes": bytes,
            "texts": texts.count, "threads": 1, "scanners": loaded.input.map(\.scanner),
            "note": "default input policy without embedding scanners, Pipeline.scan per text (normalization included)",
        ])
        try isolationCost(loaded, texts: Array(texts.prefix(1000)))
    }

    /// `guard-isolation`: the same policy with `isolation: process` (one worker) against in process, one text at a
    /// time on one caller thread: what running the scanners in a `custos guard worker` costs.
    private func isolationCost(_ policy: Policy, texts: [String]) throws {
        let custos = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("custos").path
        guard FileManager.default.isExecutableFile(atPath: custos) else {
            FileHandle.standardError.write(Data("guard-isolation skipped: no custos executable next to custos-bench\n".utf8))
            return
        }
        let home = CustosHome(path: self.home)
        let environment = ScannerEnvironment(home: home, workerCommand: [custos, "guard", "worker", "--home", home.root.path])
        var isolatedPolicy = policy
        isolatedPolicy.isolation = Isolation(workers: 1)
        let isolated = try Pipeline(policy: isolatedPolicy, environment: environment)
        let local = try Pipeline(policy: policy, environment: environment)
        func time(_ pipeline: Pipeline) throws -> Double {
            _ = try pipeline.scan(texts[0])
            var times: [Double] = []
            for _ in 0..<max(1, bench.runs / 2) {
                let start = DispatchTime.now()
                for text in texts { _ = try pipeline.scan(text) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            }
            return ProcessTimer.median(times)
        }
        let inProcess = try time(local)
        let inWorker = try time(isolated)
        try printJSONObjectLine([
            "bench": "guard-isolation", "custos_s": inWorker, "in_process_s": inProcess, "ratio": inProcess / inWorker,
            "added_us_per_text": (inWorker - inProcess) / Double(texts.count) * 1e6, "texts": texts.count,
            "note": "the guard-policy texts scanned through one custos guard worker (isolation: process) against in process",
        ])
    }

    private func jailbreak() throws {
        let environment = ScannerEnvironment(home: CustosHome(path: home))
        for precision in [ScannerEnvironment.defaultScannerPrecision, .float32] {
            let embedder: Embedder
            do {
                embedder = try environment.embedder(precision: precision)
            } catch {
                FileHandle.standardError.write(Data("guard-jailbreak skipped: \(error)\n".utf8))
                return
            }
            let scanner = try JailbreakScanner(embedder: embedder)
            let prompts = EncoderBench.sentences(count: 512, words: 48, seed: 5)
            let tokens = prompts.prefix(16).map { embedder.tokenizer.tokenize($0).ids.count }.reduce(0, +) / 16
            _ = try scanner.scores(Array(prompts.prefix(32)))
            var times: [Double] = []
            for _ in 0..<max(1, bench.runs / 2) {
                let start = DispatchTime.now()
                _ = try scanner.scores(prompts)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            }
            let seconds = ProcessTimer.median(times)
            let isDefault = precision == ScannerEnvironment.defaultScannerPrecision
            try printJSONObjectLine([
                "bench": isDefault ? "guard-jailbreak" : "guard-jailbreak-\(precision.rawValue)", "custos_s": seconds,
                "prompts_per_s": Double(prompts.count) / seconds, "prompts": prompts.count, "tokens_per_prompt": tokens,
                "threads": Parallel.threadCount, "precision": precision.rawValue, "bfloat16_kernel": embedder.encoder.bfloat16Kernel?.rawValue ?? "none",
                "note": "normalization, MiniLM embedding (batched over the cores), cue features and the logistic head"
                    + (isDefault ? " (the scanner's default precision)" : ""),
            ])
        }
    }

    private struct LabeledTextLine: Decodable { var text: String }
    private struct PeerResult: Decodable {
        var seconds: Double
        var version: String
    }
}
