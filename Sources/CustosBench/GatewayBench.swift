import ArgumentParser
import CustosCore
import CustosServer
import Foundation
import Logging
import NIOCore
import Synchronization

/// `custos-bench gateway`: what the gateway adds. A load generator on loopback (`LoopbackLoad`, 64 keep-alive
/// connections) calls the demo upstream directly, then the same upstream through `custos serve` (default policy
/// without the embedding scanner, durable SQLite audit with group commit), for the same time each; then
/// `/v1/moderations` as fast as it answers. Everything runs in this process on the same cores, so the load
/// generator competes with the gateway: the figures are upper bounds on what the gateway adds.
///
/// Two ways of loading, both reported:
/// - **closed loop** (`--connections` workers sending back to back): the saturation throughput. Its latencies are
///   mostly queueing: by Little's law, 64 requests in flight at R requests/s wait 64/R seconds each.
/// - **fixed rate** (`--rate` requests/s in all, spread evenly over the same connections, as wrk2 does): the
///   latency a request sees below saturation. Each latency counts from the time the request was *scheduled*, so a
///   stall delays every request behind it and shows in the figures (no coordinated omission).
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway")

    @Option(help: "Concurrent connections.")
    var connections = 64
    @Option(help: "Seconds per phase.")
    var seconds = 10.0
    @Option(help: "Seconds of warm-up before each phase.")
    var warmup = 2.0
    @Option(help: "Requests/s of the fixed-rate chat phases, over all connections (0 skips them).")
    var rate = 500.0

    func run() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("custos-bench-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createSymbolicLink(at: home.appendingPathComponent("assets"), withDestinationURL: CustosHome().assets)
        let policy = home.appendingPathComponent("policy.yaml")
        // The default gateway policy without its embedding scanner (jailbreak), as the issue's target states.
        let yaml = Self.removingScanner("jailbreak", from: GatewayConfiguration.defaultPolicyYAML)
        guard yaml != GatewayConfiguration.defaultPolicyYAML else {
            throw CustosError(.internal, "could not remove the jailbreak scanner from the default policy")
        }
        try yaml.write(to: policy, atomically: true, encoding: .utf8)

        let (upStream, upContinuation) = AsyncStream.makeStream(of: Int.self)
        let upstreamTask = Task { try await EchoUpstream.run(port: 0, signals: []) { upContinuation.yield($0) } }
        var upstreamPort = 0
        for await p in upStream { upstreamPort = p; break }

        let key = try APIKeyStore(home: CustosHome(path: home.path)).create(name: "bench", role: .client).secret
        var config = GatewayConfiguration()
        config.port = 0
        config.home = home.path
        config.policyPath = policy.path
        config.upstream = "http://127.0.0.1:\(upstreamPort)/v1"
        config.rateLimitPerSecond = 1e9
        config.rateLimitBurst = 1e9
        // Logged as `custos serve` logs by default (a JSON line per request at info), to /dev/null.
        let devNull = open("/dev/null", O_WRONLY)
        guard devNull >= 0 else { throw CustosError(.io, "cannot open /dev/null for the gateway's log") }
        defer { close(devNull) }
        let logOutput = JSONLogOutput(fileDescriptor: devNull)
        let logger = Logger(label: "custos.gateway") { JSONLogHandler(label: $0, level: .info, output: logOutput) }
        let gateway = try await Gateway(configuration: config, logger: logger)
        let control = GatewayControl()
        let (gwStream, gwContinuation) = AsyncStream.makeStream(of: Int.self)
        let gatewayTask = Task { try await gateway.run(signals: [], control: control) { gwContinuation.yield($0) } }
        var gatewayPort = 0
        for await p in gwStream { gatewayPort = p; break }

        let chat = Array(#"{"model":"echo-1","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the boiling point of water at sea level, in Celsius?"}]}"#.utf8)
        let direct = LoopbackLoad(port: upstreamPort, path: "/v1/chat/completions", body: chat, bearer: nil)
        let gatewayChat = LoopbackLoad(port: gatewayPort, path: "/v1/chat/completions", body: chat, bearer: key)
        let moderations = LoopbackLoad(port: gatewayPort, path: "/v1/moderations",
                                       body: Array(#"{"input":"What is the boiling point of water at sea level, in Celsius?"}"#.utf8), bearer: key)

        let directPhase = try await load(direct)
        let guarded = try await load(gatewayChat)
        let paced: (direct: Phase, guarded: Phase)? = rate > 0 ? try await alternating(direct, gatewayChat, rate: rate) : nil
        let moderation = try await load(moderations)
        await control.shutdown()
        _ = try? await gatewayTask.value
        upstreamTask.cancel()

        var line: [String: Any] = [
            "bench": "gateway", "connections": connections, "seconds_per_phase": seconds,
            "direct_p50_ms": directPhase.percentile(0.5) * 1e3, "direct_p99_ms": directPhase.percentile(0.99) * 1e3,
            "gateway_p50_ms": guarded.percentile(0.5) * 1e3, "gateway_p99_ms": guarded.percentile(0.99) * 1e3,
            "added_p50_ms": (guarded.percentile(0.5) - directPhase.percentile(0.5)) * 1e3,
            "added_p99_ms": (guarded.percentile(0.99) - directPhase.percentile(0.99)) * 1e3,
            "direct_rps": directPhase.rate, "gateway_rps": guarded.rate, "chat_errors": guarded.errors + directPhase.errors,
            "moderations_rps": moderation.rate, "moderation_p50_ms": moderation.percentile(0.5) * 1e3,
            "moderation_errors": moderation.errors,
            "custos_s": guarded.percentile(0.5), "peer": "the same upstream called directly", "peer_s": directPhase.percentile(0.5),
            "ratio": directPhase.percentile(0.5) / max(guarded.percentile(0.5), 1e-9),
            "note": "targets: added p50 ≤ 1 ms, added p99 ≤ 5 ms at 64 connections; /v1/moderations ≥ 5000 requests/s on both cores. Load generator, upstream and gateway share this machine's cores; every gateway request is appended durably to the audit log (group commit). Closed loop: saturation; fixed_*: the same connections at --rate requests/s, latency from each request's scheduled time, direct and gateway in alternating half-second turns (the machine's other load drifts over seconds).",
        ]
        if let paced {
            line["fixed_rate"] = rate
            line["fixed_direct_p50_ms"] = paced.direct.percentile(0.5) * 1e3
            line["fixed_direct_p99_ms"] = paced.direct.percentile(0.99) * 1e3
            line["fixed_gateway_p50_ms"] = paced.guarded.percentile(0.5) * 1e3
            line["fixed_gateway_p99_ms"] = paced.guarded.percentile(0.99) * 1e3
            line["fixed_added_p50_ms"] = (paced.guarded.percentile(0.5) - paced.direct.percentile(0.5)) * 1e3
            line["fixed_added_p99_ms"] = (paced.guarded.percentile(0.99) - paced.direct.percentile(0.99)) * 1e3
            line["fixed_direct_rps"] = paced.direct.rate
            line["fixed_gateway_rps"] = paced.guarded.rate
            line["fixed_errors"] = paced.direct.errors + paced.guarded.errors
        }
        try printJSONObjectLine(line)
    }

    /// `yaml` without the list items (`  - scanner: NAME` and the lines indented under it) naming `scanner`.
    static func removingScanner(_ scanner: String, from yaml: String) -> String {
        var kept: [Substring] = []
        var skipping = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - ") { skipping = line == "  - scanner: \(scanner)" }
            else if !line.hasPrefix("    ") { skipping = false }
            if !skipping { kept.append(line) }
        }
        return kept.joined(separator: "\n")
    }

    struct Phase {
        var latencies: [Double]
        var errors: Int
        var seconds: Double
        var rate: Double { Double(latencies.count) / seconds }
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
        }
    }

    /// Turns of the fixed-rate phase: direct and gateway requests alternate every half second.
    static let turnSeconds = 0.5

    /// `a` and `b` at `rate` requests/s each in alternating turns of `turnSeconds` (a warm-up, then `seconds` each):
    /// both meet the same drifting load from the rest of the machine, so their difference is the gateway's.
    func alternating(_ a: LoopbackLoad, _ b: LoopbackLoad, rate: Double) async throws -> (Phase, Phase) {
        _ = try await LoopbackLoad.interleaved([a, b], connections: connections, seconds: 2 * warmup, rate: rate, turn: Self.turnSeconds)
        let runs = try await LoopbackLoad.interleaved([a, b], connections: connections, seconds: 2 * seconds, rate: rate,
                                                      turn: Self.turnSeconds)
        let phases = runs.map { Phase(latencies: $0.tally.latencies, errors: $0.tally.errors, seconds: $0.seconds) }
        return (phases[0], phases[1])
    }

    /// `connections` connections sending back to back (`rate` nil) or `rate` requests/s in all: a warm-up, then
    /// `seconds` measured.
    func load(_ target: LoopbackLoad, rate: Double? = nil) async throws -> Phase {
        _ = try await target.run(connections: connections, seconds: warmup, rate: rate)
        let (tally, elapsed) = try await target.run(connections: connections, seconds: seconds, rate: rate)
        return Phase(latencies: tally.latencies, errors: tally.errors, seconds: elapsed)
    }
}
