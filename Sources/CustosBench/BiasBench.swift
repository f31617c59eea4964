import ArgumentParser
import CustosCore
import CustosFairness
import Foundation

/// `custos-bench bias`: WEAT over every test of `weat.json` on the word2vec subset, against a numpy implementation of
/// the same definitions (`scripts/peers/weat.py`), in process on both sides: reading the vectors, then the statistics
/// (exact enumeration where C(n, |X|) ≤ 1e6, else 100,000 permutations). The results are checked to agree.
struct BiasBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bias")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Custos home with the word2vec-bolukbasi and weat-lists assets.")
    var home: String?

    func run() throws {
        let custosHome = CustosHome(path: home)
        let vectorsPath = try custosHome.require(asset: "word2vec-bolukbasi", file: ".bin")
        let testsPath = try custosHome.require(asset: "weat-lists", file: "weat.json")
        let definitions = try AssociationTestDefinition.load(path: testsPath)
        var loads: [Double] = []
        var computes: [Double] = []
        var report: AssociationTestReport?
        for _ in 0..<max(1, bench.runs) {
            let loadStart = DispatchTime.now()
            let vectors = try WordVectors(word2vecFile: vectorsPath)
            loads.append(Self.seconds(since: loadStart))
            let start = DispatchTime.now()
            report = try AssociationTestReport.weat(definitions, vectors: vectors, embeddings: "bench", permutations: 100_000, seed: 0)
            computes.append(Self.seconds(since: start))
        }
        guard let report else { throw CustosError(.internal, "no benchmark run") }
        let peerRun = try ProcessTimer.time(bench.python, ["scripts/peers/weat.py", vectorsPath, testsPath, "--runs", "\(bench.runs)"])
        guard let data = peerRun.stdout.split(separator: "\n").last.map({ Data($0.utf8) }),
              let peer = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let peerSeconds = peer["seconds"] as? Double, let peerLoad = peer["load_seconds"] as? Double,
              let peerTests = peer["tests"] as? [[String: Any]]
        else { throw CustosError(.internal, "the WEAT peer printed no result: \(peerRun.stdout.suffix(300))") }
        // Agreement: every test both sides ran has the same effect size; exact p-values are identical.
        var worst = 0.0
        for test in peerTests {
            guard let index = test["index"] as? Int, let d = test["effect_size"] as? Double,
                  let result = report.tests.first(where: { $0.index == index })?.result
            else { throw CustosError(.internal, "the peer ran test \(test["index"] ?? "?") and Custos did not") }
            worst = max(worst, abs(result.effectSize - d))
            // (Foundation's JSON reader can be an ulp off Python's printed double: compare to 1e-15.)
            if test["exact"] as? Bool == true, case .exact = result.method, abs(result.pValue - (test["p_value"] as? Double ?? .nan)) > 1e-15 {
                throw CustosError(.internal, "exact p-values differ on test \(index): \(result.pValue) vs \(test["p_value"] ?? "?")")
            }
        }
        guard worst < 1e-9, peerTests.count == report.tests.filter({ $0.result != nil }).count else {
            throw CustosError(.internal, "Custos and the peer disagree (largest effect-size difference \(worst))")
        }
        let custos = ProcessTimer.median(computes)
        let custosLoad = ProcessTimer.median(loads)
        try printJSONObjectLine([
            "bench": "bias-weat", "custos_s": custos, "peer": "numpy \(peer["numpy"] ?? "?") (scripts/peers/weat.py)", "peer_s": peerSeconds,
            "ratio": peerSeconds / custos, "custos_load_s": custosLoad, "peer_load_s": peerLoad, "load_ratio": peerLoad / custosLoad,
            "tests_run": peerTests.count, "max_effect_size_difference": worst, "runs": max(1, bench.runs),
            "input": "weat.json (10 tests; 4 skipped for vocabulary) on GoogleNews-vectors-negative300-bolukbasi.bin (26,423 × 300)",
            "note": "in process, one thread each; statistics: 3 exact enumerations (6,435, 1,716 and 924 partitions) and 3 × 100,000 sampled permutations; ratio = peer_s / custos_s (statistics), load_ratio for reading the vectors",
        ])
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
