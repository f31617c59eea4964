import ArgumentParser
import CustosCore
import CustosPrivacy
import Foundation

/// `custos-bench pii`: the texts of the PII dev set analyzed by Custos (one core, in process, every built-in
/// recognizer, with and without the PERSON/LOCATION gazetteers) and by Presidio 2.2.366's AnalyzerEngine
/// (`scripts/peers/pii.py`, pattern recognizers on spaCy's blank English pipeline) in one run. Prints one JSON
/// line per Custos configuration with texts/s and MB/s for both and the throughput ratio.
struct PIIBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pii")

    @Option(help: "Python with presidio-analyzer 2.2.366 (scripts/bench-setup-pii).")
    var python = ".venv-pii/bin/python"

    @Option(help: "JSONL with a text field per line.")
    var texts = "Tests/Fixtures/privacy/pii_dev.jsonl"

    @Option(help: "Runs of each side; the median is reported.")
    var runs = 3

    @Option(help: "Custos passes over the texts per run (one pass takes milliseconds).")
    var repeats = 20

    @Option(help: "Custos home with the faker-locales asset.")
    var home: String?

    @Flag(help: "Also print each recognizer's share of the time (stderr).")
    var perRecognizer = false

    func run() throws {
        let items = try PIIEvaluation.load(texts)
        let strings = items.map(\.text)
        let bytes = strings.reduce(0) { $0 + $1.utf8.count }
        let (_, stdout) = try ProcessTimer.time(python, ["scripts/peers/pii.py", texts, "--runs", "\(max(1, runs))"])
        guard let peer = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any],
              let peerSeconds = peer["seconds"] as? Double else {
            throw CustosError(.internal, "unexpected output from scripts/peers/pii.py: \(stdout.prefix(300))")
        }
        let gazetteer = try Gazetteer.load(home: CustosHome(path: home))
        if perRecognizer {
            let scalars = strings.map(ScalarText.init)
            for recognizer in Analyzer.builtInRecognizers(gazetteer: gazetteer) {
                let start = DispatchTime.now()
                var spans: [EntitySpan] = []
                for _ in 0..<max(1, repeats) {
                    for text in scalars {
                        spans.removeAll(keepingCapacity: true)
                        recognizer.recognize(text, into: &spans)
                    }
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 / Double(max(1, repeats))
                FileHandle.standardError.write(Data(String(format: "%@: %.2f ms per pass\n", recognizer.name, seconds * 1e3).utf8))
            }
        }
        for (label, analyzer) in [
            ("pii-analyze-patterns", Analyzer(recognizers: Analyzer.builtInRecognizers())),
            ("pii-analyze-all", Analyzer(recognizers: Analyzer.builtInRecognizers(gazetteer: gazetteer))),
        ] {
            var times: [Double] = []
            var found = 0
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now()
                for _ in 0..<max(1, repeats) {
                    found = 0
                    for text in strings { found += analyzer.analyze(text).count }
                }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 / Double(max(1, repeats)))
            }
            let custos = ProcessTimer.median(times)
            let n = Double(strings.count)
            try printJSONObjectLine([
                "bench": label, "custos_s": custos, "custos_texts_per_s": n / custos, "custos_mb_per_s": Double(bytes) / 1e6 / custos,
                "peer": "presidio-analyzer 2.2.366 AnalyzerEngine, blank spaCy en (scripts/peers/pii.py)", "peer_s": peerSeconds,
                "peer_texts_per_s": n / peerSeconds, "peer_mb_per_s": Double(bytes) / 1e6 / peerSeconds, "ratio": peerSeconds / custos,
                "input": texts, "texts": strings.count, "bytes": bytes, "spans": found, "runs": max(1, runs),
                "note": "one pass over every text, in process, one thread, median of runs",
            ])
        }
    }
}
