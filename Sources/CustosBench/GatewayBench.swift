import ArgumentParser
import AsyncHTTPClient
import CustosCore
import CustosServer
import Foundation
import Logging
import NIOCore
import Synchronization

/// `custos-bench gateway`: what the gateway adds. A load generator on loopback (AsyncHTTPClient, 64 keep-alive
/// connections) calls the demo upstream directly, then the same upstream through `custos serve` (default policy
/// without the embedding scanner, durable SQLite audit with group commit), for the same time each; then
/// `/v1/moderations` as fast as it answers. Everything runs in this process on the same cores, so the load
/// generator competes with the gateway: the figures are upper bounds on what the gateway adds.
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway")

    @Option(help: "Concurrent connections.")
    var connections = 64
    @Option(help: "Seconds per phase.")
    var seconds = 10.0
    @Option(help: "Seconds of warm-up before each phase.")
    var warmup = 2.0

    func run() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("custos-bench-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createSymbolicLink(at: home.appendingPathComponent("assets"), withDestinationURL: CustosHome().assets)
        let policy = home.appendingPathComponent("policy.yaml")
        // The default gateway policy without its embedding scanner (jailbreak), as the issue's target states.
        let yaml = GatewayConfiguration.defaultPolicyYAML.replacingOccurrences(of: "  - scanner: jailbreak\n    action: block\n    threshold: 0.5\n", with: "")
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
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let gateway = try await Gateway(configuration: config, logger: logger)
        let control = GatewayControl()
        let (gwStream, gwContinuation) = AsyncStream.makeStream(of: Int.self)
        let gatewayTask = Task { try await gateway.run(signals: [], control: control) { gwContinuation.yield($0) } }
        var gatewayPort = 0
        for await p in gwStream { gatewayPort = p; break }

        var clientConfig = HTTPClient.Configuration()
        clientConfig.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfig)
        let chat = Array(#"{"model":"echo-1","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the boiling point of water at sea level, in Celsius?"}]}"#.utf8)

        let direct = try await load(client, url: "http://127.0.0.1:\(upstreamPort)/v1/chat/completions", body: chat, key: nil)
        let guarded = try await load(client, url: "http://127.0.0.1:\(gatewayPort)/v1/chat/completions", body: chat, key: key)
        let moderation = try await load(client, url: "http://127.0.0.1:\(gatewayPort)/v1/moderations",
                                        body: Array(#"{"input":"What is the boiling point of water at sea level, in Celsius?"}"#.utf8), key: key)
        try await client.shutdown()
        await control.shutdown()
        _ = try? await gatewayTask.value
        upstreamTask.cancel()

        let line: [String: Any] = [
            "bench": "gateway", "connections": connections, "seconds_per_phase": seconds,
            "direct_p50_ms": direct.percentile(0.5) * 1e3, "direct_p99_ms": direct.percentile(0.99) * 1e3,
            "gateway_p50_ms": guarded.percentile(0.5) * 1e3, "gateway_p99_ms": guarded.percentile(0.99) * 1e3,
            "added_p50_ms": (guarded.percentile(0.5) - direct.percentile(0.5)) * 1e3,
            "added_p99_ms": (guarded.percentile(0.99) - direct.percentile(0.99)) * 1e3,
            "direct_rps": direct.rate, "gateway_rps": guarded.rate, "chat_errors": guarded.errors + direct.errors,
            "moderations_rps": moderation.rate, "moderation_p50_ms": moderation.percentile(0.5) * 1e3,
            "moderation_errors": moderation.errors,
            "custos_s": guarded.percentile(0.5), "peer": "the same upstream called directly", "peer_s": direct.percentile(0.5),
            "ratio": direct.percentile(0.5) / max(guarded.percentile(0.5), 1e-9),
            "note": "targets: added p50 ≤ 1 ms, added p99 ≤ 5 ms at 64 connections; /v1/moderations ≥ 5000 requests/s on both cores. Load generator, upstream and gateway share this machine's cores; every gateway request is appended durably to the audit log (group commit).",
        ]
        try printJSONObjectLine(line)
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

    /// `connections` workers each sending requests back to back: a warm-up, then `seconds` measured.
    func load(_ client: HTTPClient, url: String, body: [UInt8], key: String?) async throws -> Phase {
        _ = try await run(client, url: url, body: body, key: key, for: warmup)
        return try await run(client, url: url, body: body, key: key, for: seconds)
    }

    func run(_ client: HTTPClient, url: String, body: [UInt8], key: String?, for duration: Double) async throws -> Phase {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(duration * 1000))
        let workers = connections
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while clock.now < end {
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "content-type", value: "application/json")
                        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
                        request.body = .bytes(ByteBuffer(bytes: body))
                        let t0 = clock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            if response.status.code == 200 {
                                let d = clock.now - t0
                                latencies.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
                            } else {
                                errors += 1
                            }
                        } catch {
                            errors += 1
                        }
                    }
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for try await (l, e) in group {
                all += l
                errors += e
            }
            return (all, errors)
        }
        let elapsed = clock.now - start
        return Phase(latencies: results.0, errors: results.1,
                     seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
