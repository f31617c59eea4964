import ArgumentParser
import CustosCore
import CustosFairness
import Foundation

/// `custos-bench`: Custos against its Python peers on the same input, one JSON line per benchmark.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos-bench",
        abstract: "Benchmarks against the Python peers (run `scripts/bench-setup` first; build with -c release).",
        subcommands: [FairnessAuditBench.self, EncoderBench.self])
}

/// Shared benchmark flags.
struct BenchOptions: ParsableArguments {
    @Option(help: "Python with the peers installed.")
    var python = ".venv-bench/bin/python"

    @Option(help: "Runs of each side; the median is reported.")
    var runs = 5
}

/// Wall-clock timing of whole processes.
enum ProcessTimer {
    /// Runs a command, returning wall seconds and stdout; a failure is an error with its stderr.
    static func time(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = DispatchTime.now()
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        guard process.terminationStatus == 0 else {
            throw CustosError(.internal, "\(executable) \(arguments.joined(separator: " ")) failed: \(String(decoding: stderr, as: UTF8.self).suffix(600))")
        }
        return (seconds, String(decoding: stdout, as: UTF8.self))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// One machine-readable result line.
struct BenchLine: Encodable {
    var bench: String
    var custos_s: Double
    var peer: String
    var peer_s: Double
    var ratio: Double
    var custos_inprocess_s: Double?
    var peer_inprocess_s: Double?
    var inprocess_ratio: Double?
    var input: String
    var runs: Int
    var note: String

    func print() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(self), as: UTF8.self))
    }
}

/// `custos-bench fairness-audit`: the full audit (sex, race, sex+race; all metrics; 1,000 bootstrap
/// resamples) as a whole process, Custos CLI against Fairlearn's MetricFrame on the same CSV.
struct FairnessAuditBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fairness-audit")

    @OptionGroup var bench: BenchOptions

    @Option(help: "Predictions CSV with y_true,y_pred,score,sex,race.")
    var data = "Tests/Fixtures/fairness/adult_test_predictions.csv"

    @Option(help: "The custos executable to time.")
    var custos = ".build/release/custos"

    @Option(help: "Bootstrap resamples on both sides.")
    var bootstrap = 1000

    func run() throws {
        let custosArgs = ["fairness", "audit", "--data", data, "--label", "y_true", "--prediction", "y_pred",
                          "--score", "score", "--sensitive", "sex,race", "--intersections", "--format", "json",
                          "--bootstrap", "\(bootstrap)"]
        let peerArgs = ["scripts/peers/fairness_audit.py", data, "--n-boot", "\(bootstrap)"]
        // Warm both (file cache, Python bytecode), then time.
        _ = try ProcessTimer.time(custos, custosArgs)
        _ = try ProcessTimer.time(bench.python, peerArgs)
        var custosTimes: [Double] = []
        var peerTimes: [Double] = []
        var peerInside: [Double] = []
        for _ in 0..<bench.runs {
            custosTimes.append(try ProcessTimer.time(custos, custosArgs).seconds)
        }
        let peerRuns = max(1, min(bench.runs, 3))
        for _ in 0..<peerRuns {
            let (seconds, stdout) = try ProcessTimer.time(bench.python, peerArgs)
            peerTimes.append(seconds)
            if let data = stdout.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let inside = object["seconds"] as? Double {
                peerInside.append(inside)
            }
        }
        // In-process: the same audit through the library, without process start or JSON printing.
        let table = try CSVReader.table(contentsOf: data)
        var options = MetricFrameOptions()
        options.intersections = true
        options.bootstrapResamples = bootstrap
        var inside: [Double] = []
        for _ in 0..<bench.runs {
            let start = DispatchTime.now()
            _ = try FairnessAudit.run(.init(table: table, source: data, label: "y_true", prediction: "y_pred", score: "score",
                                            sensitive: ["sex", "race"], positiveLabel: nil), options: options)
            inside.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let c = ProcessTimer.median(custosTimes)
        let p = ProcessTimer.median(peerTimes)
        let ci = ProcessTimer.median(inside)
        let pi = peerInside.isEmpty ? nil : ProcessTimer.median(peerInside)
        try BenchLine(
            bench: "fairness-audit", custos_s: c, peer: "fairlearn MetricFrame (scripts/peers/fairness_audit.py)", peer_s: p,
            ratio: p / c, custos_inprocess_s: ci, peer_inprocess_s: pi, inprocess_ratio: pi.map { $0 / ci },
            input: data, runs: bench.runs,
            note: "whole process, median; sex, race, sex+race; all metrics; \(bootstrap) bootstrap resamples"
        ).print()
    }
}
