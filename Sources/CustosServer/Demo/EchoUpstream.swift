import CustosCore
import CustosOpenAI
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import Synchronization

/// A deterministic OpenAI-compatible chat upstream for demos, tests and the gateway benchmark: it answers
/// `echo: <last user message>` (plain or streamed in 4-character chunks) and obeys directives written into the
/// last user message, so a test can make it misbehave on purpose:
/// - `[[say:TEXT]]` answers TEXT instead; `[[say-reversed:TXET]]` answers TEXT (so a prompt can ask for an answer
///   that input scanners would stop);
/// - `[[delay:MS]]` waits before answering; `[[slow:MS]]` waits between streamed chunks;
/// - `[[status:CODE]]` answers that HTTP status with an OpenAI error body;
/// - `[[reset]]` sends part of the answer and drops the connection;
/// - `[[malformed]]` streams an event that is not JSON;
/// - `[[long:N]]` answers N parts "part k. " (streamed: one chunk each; for disconnect tests and long answers).
/// `GET /stats` reports how many requests it saw and how many streams ended because the reader went away.
public enum EchoUpstream {
    /// Counters a test can read.
    public final class Stats: Sendable {
        let state = Mutex<(requests: Int, cancelled: Int, lastBody: [UInt8], bodies: [String])>((0, 0, [], []))
        /// Requests seen.
        public var requests: Int { state.withLock { $0.requests } }
        /// Streams whose reader went away.
        public var cancelled: Int { state.withLock { $0.cancelled } }
        /// The last chat request body received.
        public var lastBody: [UInt8] { state.withLock { $0.lastBody } }
        /// How many recent request bodies `received(containing:)` searches.
        static let keptBodies = 4096
        /// Whether any of the last `keptBodies` chat request bodies contains `text`.
        public func received(containing text: String) -> Bool { state.withLock { $0.bodies.contains { $0.contains(text) } } }
        /// Empty counters.
        public init() {}
    }

    /// The routes; `delay` is waited before every chat answer (a slow model, for demos and tests).
    public static func router(stats: Stats = Stats(), delay: Duration = .zero) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/v1/models") { _, _ in
            json(.ok, #"{"object":"list","data":[{"id":"echo-1","object":"model","created":0,"owned_by":"custos-demo"}]}"#)
        }
        router.get("/stats") { _, _ in
            json(.ok, #"{"requests":\#(stats.requests),"cancelled":\#(stats.cancelled)}"#)
        }
        router.post("/v1/chat/completions") { request, _ in
            let body = Array(try await request.body.collect(upTo: 64 << 20).readableBytesView)
            stats.state.withLock {
                $0.requests += 1
                $0.lastBody = body
                // Bounded: a long-running demo or the benchmark must not grow without limit.
                if $0.bodies.count >= Stats.keptBodies { $0.bodies.removeFirst($0.bodies.count / 2) }
                $0.bodies.append(String(decoding: body, as: UTF8.self))
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            return try await answer(body, stats: stats)
        }
        return router
    }

    /// Serves on `host:port` until cancelled; `onRunning` gets the bound port.
    public static func run(host: String = "127.0.0.1", port: Int, stats: Stats = Stats(), delay: Duration = .zero,
                           signals: [UnixSignal] = [.sigterm, .sigint],
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // Warnings only, as JSON lines on standard error like `custos serve`'s (swift-log's default handler
        // renders its metadata again each time Hummingbird sets a request id, on every request).
        let logger = Logger(label: "custos.echo-upstream") { JSONLogHandler(label: $0, level: .warning) }
        let app = Application(router: router(stats: stats, delay: delay), configuration: .init(address: .hostname(host, port: port), serverName: "echo-upstream"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
        try await ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger)).run()
    }

    static func answer(_ body: [UInt8], stats: Stats) async throws -> Response {
        guard case .object(let object)? = try? JSONValue.parse(body), case .array(let messages)? = object["messages"] else {
            return json(.badRequest, #"{"error":{"message":"not a chat request","type":"invalid_request_error"}}"#)
        }
        let model = object["model"]?.stringValue ?? "echo-1"
        let stream = object["stream"] == .bool(true)
        let last = messages.last { $0["role"]?.stringValue == "user" }
        let prompt = last?["content"]?.stringValue ?? last?["content"].flatMap { content -> String? in
            guard case .array(let parts) = content else { return nil }
            return parts.compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        } ?? ""
        if let ms = directive("delay", in: prompt).flatMap(Int.init) { try await Task.sleep(for: .milliseconds(ms)) }
        if let code = directive("status", in: prompt).flatMap(Int.init) {
            return json(HTTPResponse.Status(code: code), #"{"error":{"message":"echo upstream asked to fail with \#(code)","type":"server_error"}}"#)
        }
        let long = directive("long", in: prompt).flatMap(Int.init).map { min(max($0, 0), 1_000_000) }
        let text = directive("say", in: prompt) ?? directive("say-reversed", in: prompt).map { String($0.reversed()) }
            ?? long.map { (0..<$0).map { "part \($0). " }.joined() } ?? "echo: \(prompt)"
        let id = "chatcmpl-echo\(stats.requests)"
        let promptTokens = prompt.split(separator: " ").count
        let completionTokens = text.split(separator: " ").count
        if !stream {
            if mentions("[[reset]]", in: prompt) {
                return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "1000"],
                                body: ResponseBody { writer in
                                    try await writer.write(ByteBuffer(string: #"{"id":"#))
                                    throw CancellationError()
                                })
            }
            let answer = JSONValue.object([
                "id": .string(id), "object": .string("chat.completion"), "created": .number(0), "model": .string(model),
                "choices": .array([.object([
                    "index": .number(0), "message": .object(["role": .string("assistant"), "content": .string(text)]),
                    "finish_reason": .string("stop"),
                ])]),
                "usage": .object(["prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
                                  "total_tokens": .number(Double(promptTokens + completionTokens))]),
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try answer.jsonBytes())))
        }
        let slow = directive("slow", in: prompt).flatMap(Int.init)
        let reset = mentions("[[reset]]", in: prompt)
        let malformed = mentions("[[malformed]]", in: prompt)
        let includeUsage = object["stream_options"]?["include_usage"] == .bool(true)
        var pieces: [String] = []
        if let long {
            pieces = (0..<long).map { "part \($0). " }
        } else {
            var current = ""
            for character in text {
                current.append(character)
                if current.count == 4 { pieces.append(current); current = "" }
            }
            if !current.isEmpty { pieces.append(current) }
        }
        @Sendable func chunk(_ delta: JSONValue, finish: String?) -> [UInt8] {
            let event = JSONValue.object([
                "id": .string(id), "object": .string("chat.completion.chunk"), "created": .number(0), "model": .string(model),
                "choices": .array([.object(["index": .number(0), "delta": delta, "finish_reason": finish.map(JSONValue.string) ?? .null])]),
            ])
            return SSEWriter.event((try? event.jsonBytes()) ?? [])
        }
        let finalPieces = pieces
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
            do {
                try await writer.write(ByteBuffer(bytes: chunk(.object(["role": .string("assistant"), "content": .string("")]), finish: nil)))
                for (k, piece) in finalPieces.enumerated() {
                    if let slow { try await Task.sleep(for: .milliseconds(slow)) }
                    if reset && k == finalPieces.count / 2 { throw CancellationError() }
                    if malformed && k == finalPieces.count / 2 {
                        try await writer.write(ByteBuffer(string: "data: {\"choices\": [nope\n\n"))
                    }
                    try await writer.write(ByteBuffer(bytes: chunk(.object(["content": .string(piece)]), finish: nil)))
                }
                try await writer.write(ByteBuffer(bytes: chunk(.object([:]), finish: "stop")))
                if includeUsage {
                    let usage = JSONValue.object([
                        "id": .string(id), "object": .string("chat.completion.chunk"), "created": .number(0), "model": .string(model),
                        "choices": .array([]),
                        "usage": .object(["prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
                                          "total_tokens": .number(Double(promptTokens + completionTokens))]),
                    ])
                    try await writer.write(ByteBuffer(bytes: SSEWriter.event(try usage.jsonBytes())))
                }
                try await writer.write(ByteBuffer(bytes: SSEWriter.done))
                try await writer.finish(nil)
            } catch {
                if !(error is CancellationError) { stats.state.withLock { $0.cancelled += 1 } }
                throw error
            }
        })
    }

    /// The value of `[[name:value]]` in `text`, searched in its UTF-8 (a prompt without `[[` costs one pass).
    static func directive(_ name: String, in text: String) -> String? {
        let utf8 = text.utf8
        guard let start = search(Array("[[\(name):".utf8), in: utf8, from: utf8.startIndex),
              let end = search(Array("]]".utf8), in: utf8, from: start.upperBound) else {
            return nil
        }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// Whether `text` contains `marker`, searched in its UTF-8 like `directive`.
    static func mentions(_ marker: String, in text: String) -> Bool {
        search(Array(marker.utf8), in: text.utf8, from: text.utf8.startIndex) != nil
    }

    /// The first occurrence of `needle` in `haystack` at or after `from`.
    private static func search(_ needle: [UInt8], in haystack: String.UTF8View, from: String.Index) -> Range<String.Index>? {
        guard let first = needle.first else { return nil }
        var i = from
        while let hit = haystack[i...].firstIndex(of: first) {
            var j = hit, k = 0
            while k < needle.count, j < haystack.endIndex, haystack[j] == needle[k] {
                j = haystack.index(after: j)
                k += 1
            }
            if k == needle.count { return hit..<j }
            i = haystack.index(after: hit)
        }
        return nil
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
