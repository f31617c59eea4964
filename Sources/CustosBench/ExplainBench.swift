import ArgumentParser
import CustosCore
import CustosExplain
import CustosML
import Foundation

/// `custos-bench explain`: Shapley values of a logistic regression for 500 UCI Adult rows against 50 background
/// rows, Custos' KernelSHAP (one thread, in process) against shap 0.51's `KernelExplainer`
/// (`scripts/peers/explain.py`, one BLAS thread, in process), on the same standardized inputs:
/// - `explain-kernel-7f-2000`: the 7-feature model of `Tests/Fixtures/explain/shap_dev.json`, nsamples 2000 (both
///   sides enumerate all 126 coalitions);
/// - `explain-kernel-7f-64`: the same with nsamples 64 (sampled), with both sides' mean |error| against exact values;
/// - `explain-kernel-12f-2000`: a 12-feature model (the 7 plus race one-hot, fitted here), nsamples 2000 (sampled);
/// - `explain-exact-7f`: Custos' exact Shapley values, seconds per row (the target is under 1 ms), against shap at
///   nsamples 2000 (which is exact for 7 features).
struct ExplainBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Runs of the Python peer per setting; the median is reported.")
    var peerRuns = 1

    @Option(help: "Explained Adult rows.")
    var rows = 500

    @Option(help: "Custos home with the adult asset.")
    var home: String?

    @Option(help: "The Shapley reference with the 7-feature model and background.")
    var reference = "Tests/Fixtures/explain/shap_dev.json"

    /// Standardized inputs of one benchmark model.
    struct Setup: Encodable {
        var name: String
        var features: [String]
        var coef: [Double]
        var intercept: Double
        var background: [[Double]]
        var rows: [[Double]]

        enum CodingKeys: String, CodingKey { case coef, intercept, background, rows }

        var model: LinearModelFile {
            get throws {
                try LinearModelFile(ModelFile(pipeline: FeaturePipeline(rawColumns: features),
                                              classifier: LinearClassifier(coefficients: coef, intercept: intercept)))
            }
        }
    }

    func run() throws {
        let (seven, twelve) = try setups()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-bench-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        for (setup, samples) in [(seven, 2000), (seven, 64), (twelve, 2000)] {
            try measureKernel(setup, samples: samples, directory: directory)
        }
        try measureExact(seven, directory: directory)
    }

    /// Single-threaded Custos timing of one estimator over all rows; returns (median seconds, values).
    func timeCustos(_ setup: Setup, method: ShapleyMethod, samples: Int) throws -> (Double, [[Double]]) {
        let model = try setup.model
        let background = try DenseMatrix(rows: setup.background.count, columns: setup.features.count, values: setup.background.flatMap { $0 })
        let explainer = try ShapleyExplainer(method: method, samples: samples, seed: 0, features: setup.features.count)
        var times: [Double] = []
        var values: [[Double]] = []
        for _ in 0..<max(1, bench.runs) {
            let start = DispatchTime.now()
            values = try setup.rows.enumerated().map { i, row in
                try explainer.attribute(InterventionalGame(model: model, row: row, background: background), stream: UInt64(i)).values
            }
            times.append(AuditBench.seconds(since: start))
        }
        return (ProcessTimer.median(times), values)
    }

    /// Custos' median seconds through `ShapleyExplainer.explain`, which explains rows on all cores.
    func timeParallel(_ setup: Setup, method: ShapleyMethod, samples: Int) throws -> Double {
        let model = try setup.model
        let rows = try DenseMatrix(rows: setup.rows.count, columns: setup.features.count, values: setup.rows.flatMap { $0 })
        let background = try DenseMatrix(rows: setup.background.count, columns: setup.features.count, values: setup.background.flatMap { $0 })
        let explainer = try ShapleyExplainer(method: method, samples: samples, seed: 0, features: setup.features.count)
        var times: [Double] = []
        for _ in 0..<max(1, bench.runs) {
            let start = DispatchTime.now()
            _ = try explainer.explain(model, rows: rows, background: background)
            times.append(AuditBench.seconds(since: start))
        }
        return ProcessTimer.median(times)
    }

    /// The peer's median seconds, version and values.
    func timePeer(_ setup: Setup, samples: Int, directory: URL) throws -> (Double, String, [[Double]]) {
        let input = directory.appendingPathComponent("\(setup.name).json").path
        let valuesPath = directory.appendingPathComponent("\(setup.name)-\(samples)-values.json").path
        try FileInput.writeAtomically(String(decoding: try JSONEncoder().encode(setup), as: UTF8.self), to: input)
        let (_, stdout) = try ProcessTimer.time(bench.python, ["scripts/peers/explain.py", input, "--nsamples", "\(samples)",
                                                               "--runs", "\(max(1, peerRuns))", "--values", valuesPath])
        struct Peer: Decodable {
            var seconds: [Double]
            var shap_version: String
        }
        let peer = try JSONDecoder().decode(Peer.self, from: Data(stdout.utf8))
        let values = try JSONDecoder().decode([[Double]].self, from: Data(contentsOf: URL(fileURLWithPath: valuesPath)))
        return (ProcessTimer.median(peer.seconds), peer.shap_version, values)
    }

    func measureKernel(_ setup: Setup, samples: Int, directory: URL) throws {
        let (custos, ours) = try timeCustos(setup, method: .kernel, samples: samples)
        let (peer, version, theirs) = try timePeer(setup, samples: samples, directory: directory)
        var line: [String: Any] = [
            "bench": "explain-kernel-\(setup.features.count)f-\(samples)", "custos_s": custos,
            "peer": "shap \(version) KernelExplainer (scripts/peers/explain.py)", "peer_s": peer, "ratio": peer / custos,
            "runs": bench.runs, "peer_runs": max(1, peerRuns),
            "input": "\(setup.rows.count) UCI Adult rows, \(setup.background.count) background rows, \(setup.features.count) features",
            "note": "in process, one thread each (ratio); nsamples \(samples)" + (samples >= (1 << setup.features.count) - 2 ? " (all coalitions)" : " (sampled)")
                + "; custos_parallel_s: the same through ShapleyExplainer.explain on \(Parallel.threadCount) threads",
            "custos_parallel_s": try timeParallel(setup, method: .kernel, samples: samples), "threads": Parallel.threadCount,
        ]
        if setup.features.count <= ExactShapley.maximumPlayers {
            let (_, exact) = try timeCustos(setup, method: .exact, samples: samples)
            line["custos_mean_abs_error"] = Self.meanAbsoluteError(ours, exact)
            line["peer_mean_abs_error"] = Self.meanAbsoluteError(theirs, exact)
            line["custos_max_abs_error"] = Self.maxAbsoluteError(ours, exact)
            line["peer_max_abs_error"] = Self.maxAbsoluteError(theirs, exact)
        }
        try printJSONObjectLine(line)
    }

    func measureExact(_ setup: Setup, directory: URL) throws {
        let (custos, _) = try timeCustos(setup, method: .exact, samples: 0)
        let (peer, version, _) = try timePeer(setup, samples: 2000, directory: directory)
        let perRow = custos / Double(setup.rows.count)
        try printJSONObjectLine([
            "bench": "explain-exact-7f", "custos_s": custos, "custos_ms_per_row": perRow * 1000,
            "peer": "shap \(version) KernelExplainer nsamples 2000 (exact for 7 features)", "peer_s": peer, "ratio": peer / custos,
            "runs": bench.runs, "input": "\(setup.rows.count) UCI Adult rows, \(setup.background.count) background rows, 7 features",
            "note": "exact interventional Shapley values (all 128 coalitions, Gray-code order), in process, one thread; target < 1 ms per row",
        ])
    }

    static func meanAbsoluteError(_ a: [[Double]], _ b: [[Double]]) -> Double {
        let differences = zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }
        return differences.reduce(0, +) / Double(max(differences.count, 1))
    }

    static func maxAbsoluteError(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a, b).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? .nan
    }

    /// The 7-feature reference model and a 12-feature model (the 7 plus race one-hot, fitted on Adult train), both on
    /// the first `rows` Adult train rows, with background rows `rows..<rows+50`.
    func setups() throws -> (Setup, Setup) {
        let data = try Data(contentsOf: URL(fileURLWithPath: reference))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let model = object["model"] as? [String: Any],
              let mean = object["scaler_mean"] as? [Double], let scale = object["scaler_scale"] as? [Double],
              let coef = model["coef"] as? [Double], let intercept = model["intercept"] as? Double
        else { throw CustosError(.invalidInput, "unexpected layout", at: SourceLocation(file: reference)) }
        let (train, _) = try Datasets.adult(home: CustosHome(path: home))
        let numeric = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
        var columns = try numeric.map { name in try train.column(named: name).doubles().map { $0 ?? .nan } }
        let sex = try train.column(named: "sex")
        columns.append((0..<train.rowCount).map { sex.string(at: $0) == "Male" ? 1 : 0 })
        let standardized = (0..<train.rowCount).map { i in (0..<7).map { j in (columns[j][i] - mean[j]) / scale[j] } }
        let race = try train.column(named: "race")
        let races = race.distinctStrings()
        let withRace = (0..<train.rowCount).map { i in
            standardized[i] + races.prefix(5).map { race.string(at: i) == $0 ? 1.0 : 0.0 }
        }
        let income = try train.column(named: "income")
        let labels = (0..<train.rowCount).map { income.string(at: $0) == ">50K" }
        let width = withRace[0].count
        let fitted = try LogisticRegression().fit(DenseMatrix(rows: withRace.count, columns: width, values: withRace.flatMap { $0 }), labels: labels)
        let names7 = ["age", "fnlwgt", "education-num", "capital_gain", "capital_loss", "hours_per_week", "sex"]
        let explained = 0..<min(rows, train.rowCount - 50)
        let background = explained.upperBound..<(explained.upperBound + 50)
        let seven = Setup(name: "adult7", features: names7, coef: coef, intercept: intercept,
                          background: Array(standardized[background]), rows: Array(standardized[explained]))
        let twelve = Setup(name: "adult12", features: names7 + races.prefix(5).map { "race_\($0)" },
                           coef: fitted.coefficients, intercept: fitted.intercept,
                           background: Array(withRace[background]), rows: Array(withRace[explained]))
        return (seven, twelve)
    }
}
