import AsyncHTTPClient
import CustosCore
import CustosServer
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A real gateway on a loopback port in front of the demo upstream (also on a real port), each with its own
/// temporary home, plus an HTTP client. The upstream is the only test double: it stands for the user's model.
final class GatewayHarness: Sendable {
    /// One shared gateway with the default configuration (most tests use it).
    static let shared = Task { try await GatewayHarness.start() }

    let home: URL
    let port: Int
    let upstreamPort: Int?
    let stats: EchoUpstream.Stats
    let control: GatewayControl
    let gateway: Gateway
    let client: HTTPClient
    let clientKey: String
    let adminKey: String
    /// A key whose own policy blocks the word "forbidden-term" in answers.
    let strictKey: String
    /// A key allowed 1 request per second with a burst of 2.
    let limitedKey: String
    let gatewayTask: Task<Void, any Error>
    let upstreamTask: Task<Void, any Error>?

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
    }

    static func start(upstream: Bool = true, configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in }) async throws -> GatewayHarness {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("custos-gateway-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // Scanner assets (MiniLM, faker) come from the real home that `scripts/setup` filled.
        let assets = CustosHome().assets
        try FileManager.default.createSymbolicLink(at: home.appendingPathComponent("assets"), withDestinationURL: assets)

        let stats = EchoUpstream.Stats()
        var upstreamPort: Int?
        var upstreamTask: Task<Void, any Error>?
        if upstream {
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            upstreamTask = Task { try await EchoUpstream.run(port: 0, stats: stats, signals: []) { continuation.yield($0) } }
            for await port in stream { upstreamPort = port; break }
        }

        let keys = try APIKeyStore(home: CustosHome(path: home.path))
        let clientKey = try keys.create(name: "app", role: .client).secret
        let adminKey = try keys.create(name: "ops", role: .admin).secret
        let strictPolicy = home.appendingPathComponent("strict.yaml")
        try """
            name: strict
            input:
              - scanner: secrets
                action: block
              - scanner: pii
                action: pseudonymize
            output:
              - scanner: banned_words
                action: block
                options:
                  words: ["forbidden-term"]
              - scanner: secrets
                action: redact
            """.write(to: strictPolicy, atomically: true, encoding: .utf8)
        let strictKey = try keys.create(name: "strict", role: .client, policy: strictPolicy.path).secret
        // One token per 100 s: the test's four requests cannot earn a token back, however slow the machine.
        let limitedKey = try keys.create(name: "limited", role: .client, ratePerSecond: 0.01, burst: 2).secret

        var config = GatewayConfiguration()
        config.port = 0
        config.home = home.path
        config.upstream = upstreamPort.map { "http://127.0.0.1:\($0)/v1" }
        config.rateLimitPerSecond = 1000
        config.rateLimitBurst = 1000
        configure(&config)
        let gateway = try await Gateway(configuration: config)
        let control = GatewayControl()
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let gatewayTask = Task { try await gateway.run(signals: [], control: control) { continuation.yield($0) } }
        var port = 0
        for await p in stream { port = p; break }
        var clientConfig = HTTPClient.Configuration()
        clientConfig.timeout = .init(connect: .seconds(5), read: .seconds(60))
        return GatewayHarness(
            home: home, port: port, upstreamPort: upstreamPort, stats: stats, control: control, gateway: gateway,
            client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfig), clientKey: clientKey,
            adminKey: adminKey, strictKey: strictKey, limitedKey: limitedKey, gatewayTask: gatewayTask, upstreamTask: upstreamTask)
    }

    private init(home: URL, port: Int, upstreamPort: Int?, stats: EchoUpstream.Stats, control: GatewayControl, gateway: Gateway,
                 client: HTTPClient, clientKey: String, adminKey: String, strictKey: String, limitedKey: String,
                 gatewayTask: Task<Void, any Error>, upstreamTask: Task<Void, any Error>?) {
        self.home = home
        self.port = port
        self.upstreamPort = upstreamPort
        self.stats = stats
        self.control = control
        self.gateway = gateway
        self.client = client
        self.clientKey = clientKey
        self.adminKey = adminKey
        self.strictKey = strictKey
        self.limitedKey = limitedKey
        self.gatewayTask = gatewayTask
        self.upstreamTask = upstreamTask
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Sends a request and reads the whole answer.
    func send(_ method: HTTPMethod, _ path: String, key: String? = nil) async throws -> Reply {
        try await send(path, method: method, key: key)
    }

    /// Sends a request (POST unless told) and reads the whole answer.
    func send(_ path: String, method: HTTPMethod = .POST, body: String? = nil, bytes: [UInt8]? = nil, key: String? = nil,
              headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    /// A chat request body with one user message.
    static func chat(_ text: String, stream: Bool = false, model: String = "echo-1") -> String {
        let escaped = String(decoding: (try? JSONValue.string(text).jsonBytes()) ?? [], as: UTF8.self)
        return #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":\#(escaped)}]}"#
    }

    /// The `data:` payloads of an event stream.
    static func events(_ body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }
    }

    /// The streamed answer text of choice 0 and its finish reason.
    static func streamedAnswer(_ body: [UInt8]) -> (text: String, finish: String?, error: JSONValue?) {
        var text = ""
        var finish: String?
        var error: JSONValue?
        for event in events(body) where event != "[DONE]" {
            guard let value = try? JSONValue.parse(Array(event.utf8)) else { continue }
            if let e = value["error"] { error = e; continue }
            guard case .array(let choices)? = value["choices"] else { continue }
            for choice in choices {
                if let piece = choice["delta"]?["content"]?.stringValue { text += piece }
                if let reason = choice["finish_reason"]?.stringValue { finish = reason }
            }
        }
        return (text, finish, error)
    }

    /// The audit records of a request, via the admin route.
    func records(of requestID: String) async throws -> [JSONValue] {
        let reply = try await send(.GET, "/admin/decisions/\(requestID)", key: adminKey)
        guard reply.status == 200, case .array(let records)? = reply.json["records"] else { return [] }
        return records.compactMap { $0["record"] }
    }

    func stop() async {
        await control.shutdown()
        _ = try? await gatewayTask.value
        upstreamTask?.cancel()
        try? await client.shutdown()
        try? FileManager.default.removeItem(at: home)
    }
}
