import ArgumentParser
import CustosCore
import CustosPrivacy
import Foundation

/// `custos-bench dp`: (1) the RDP accountant over the dev grid (48 (q, σ, steps) rows × 2 δ of
/// Tests/Fixtures/privacy/dp_dev_vectors.json, a fresh accountant per row, default orders) against
/// dp_accounting 0.6.0 in one run, both timed inside their own process; (2) exact discrete Gaussian samples per
/// second from the OS's secure source against OpenDP 0.16.0's exact sampler (Rust, one vectorized call).
struct DPBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dp")

    @Option(help: "Python with dp-accounting 0.6.0 and opendp 0.16.0 (scripts/bench-setup-dp).")
    var python = ".venv-dp/bin/python"

    @Option(help: "The DP vectors whose rdp_subsampled_gaussian rows form the grid.")
    var vectors = "Tests/Fixtures/privacy/dp_dev_vectors.json"

    @Option(help: "Runs of each side; the median is reported.")
    var runs = 3

    @Option(help: "Discrete Gaussian sigma values (comma-separated), one line each.")
    var sigmas = "1,10,1000"

    @Option(help: "Discrete Gaussian draws per run.")
    var count = 200_000

    /// One grid row.
    struct Row {
        var q: Double
        var sigma: Double
        var steps: Int
        var deltas: [Double]
    }

    func run() throws {
        try accountantLine()
        for text in sigmas.split(separator: ",") {
            guard let sigma = Double(text.trimmingCharacters(in: .whitespaces)), sigma > 0 else {
                throw ValidationError("--sigmas takes comma-separated positive numbers")
            }
            try samplerLine(sigma: String(text.trimmingCharacters(in: .whitespaces)), sigmaValue: sigma)
        }
    }

    func loadRows() throws -> [Row] {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectors))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let families = root?["families"] as? [String: Any]
        let rows = families?["rdp_subsampled_gaussian"] as? [[String: Any]] ?? []
        return rows.compactMap { row in
            guard let q = row["q"] as? Double, let sigma = row["sigma"] as? Double, let steps = row["steps"] as? Int,
                  let byDelta = row["rdp"] as? [String: Any]
            else { return nil }
            return Row(q: q, sigma: sigma, steps: steps, deltas: byDelta.keys.compactMap(Double.init).sorted(by: >))
        }
    }

    func accountantLine() throws {
        let rows = try loadRows()
        guard !rows.isEmpty else { throw CustosError(.invalidInput, "no rdp_subsampled_gaussian rows in \(vectors)") }
        var times: [Double] = []
        var ours: [String: RDPEpsilon] = [:]
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now()
            for row in rows {
                var accountant = try RDPAccountant()
                try accountant.compose(SubsampledGaussianRDP(samplingRate: row.q, noiseMultiplier: row.sigma), count: row.steps)
                for delta in row.deltas { ours["\(row.q) \(row.sigma) \(row.steps) \(delta)"] = try accountant.epsilon(delta: delta) }
            }
            times.append(Self.seconds(since: start))
        }
        let (_, stdout) = try ProcessTimer.time(python, ["scripts/peers/dp.py", "accountant", vectors, "--runs", "\(max(1, runs))"])
        let peer = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        guard let peerSeconds = peer?["seconds"] as? Double, let results = peer?["results"] as? [[Double]] else {
            throw CustosError(.internal, "unexpected output from scripts/peers/dp.py accountant")
        }
        var lower = 0
        var equal = 0
        var largestGain = 0.0
        for result in results where result.count == 6 {
            guard let mine = ours["\(result[0]) \(result[1]) \(Int(result[2])) \(result[3])"] else { continue }
            let theirs = result[4]
            if abs(mine.epsilon - theirs) <= 1e-10 * theirs { equal += 1 } else if mine.epsilon < theirs { lower += 1 }
            largestGain = max(largestGain, (theirs - mine.epsilon) / mine.epsilon)
        }
        let custos = ProcessTimer.median(times)
        let line: [String: Any] = [
            "bench": "dp-rdp-accountant", "custos_s": custos, "peer": "dp_accounting 0.6.0 RdpAccountant (scripts/peers/dp.py)",
            "peer_s": peerSeconds, "ratio": peerSeconds / custos, "input": vectors, "runs": max(1, runs),
            "queries": results.count, "custos_equal": equal, "custos_lower": lower, "peer_overstatement_max": largestGain,
            "note": "in-process, median; 48 (q, sigma, steps) rows x 2 delta, fresh accountant per row, 156 default orders; custos exact at fractional orders (quadrature), dp_accounting by its series; ratio = peer_s / custos_s",
        ]
        try printJSONObjectLine(line)
    }

    func samplerLine(sigma text: String, sigmaValue: Double) throws {
        let sampler = try DiscreteGaussianSampler(sigma: Rational(parsing: text))
        var times: [Double] = []
        var checksum = BigIntChecksum()
        for _ in 0..<max(1, runs) {
            var generator = SecureRandomSource()
            let start = DispatchTime.now()
            for _ in 0..<count { checksum.add(sampler.sample(using: &generator)) }
            times.append(Self.seconds(since: start))
        }
        let (_, stdout) = try ProcessTimer.time(python, ["scripts/peers/dp.py", "sample", "--sigma", text, "--count", "\(count)", "--runs", "\(max(1, runs))"])
        let peer = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        guard let peerSeconds = peer?["seconds"] as? Double else { throw CustosError(.internal, "unexpected output from scripts/peers/dp.py sample") }
        let custos = ProcessTimer.median(times)
        let line: [String: Any] = [
            "bench": "dp-discrete-gaussian-sigma-\(text)", "custos_s": custos, "peer": "OpenDP 0.16.0 then_gaussian on integers (scripts/peers/dp.py)",
            "peer_s": peerSeconds, "ratio": peerSeconds / custos, "count": count, "runs": max(1, runs),
            "custos_samples_per_s": Double(count) / custos, "peer_samples_per_s": Double(count) / peerSeconds,
            "sample_variance": checksum.variance,
            "note": "in-process, median; both exact (CKS 2020) from the OS secure source (custos: SecureRandomSource, /dev/urandom in 4 KiB blocks); sample_variance should be close to sigma^2 = \(sigmaValue * sigmaValue)",
        ]
        try printJSONObjectLine(line)
    }

    /// Keeps the draws observable (so no work is optimised away) and checks their spread.
    struct BigIntChecksum {
        var n = 0.0
        var sum = 0.0
        var squares = 0.0
        mutating func add<T: BinaryInteger>(_ x: T) {
            let value = Double(x)
            n += 1
            sum += value
            squares += value * value
        }
        var variance: Double { n > 1 ? (squares - sum * sum / n) / (n - 1) : 0 }
    }

    static func seconds(since start: DispatchTime) -> Double { AuditBench.seconds(since: start) }
}
