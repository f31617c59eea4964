import AsyncHTTPClient
import CustosAudit
import CustosCore
import CustosServer
import Foundation
import GRDB
import NIOCore
import Testing

@Suite("Gateway: bad input and faults answer with the right status and are recorded")
struct GatewayFaultTests {
    @Test("malformed JSON is a 400 naming the path")
    func malformedJSON() async throws {
        let h = try await GatewayHarness.shared.value
        let broken = try await h.send("/v1/chat/completions", body: #"{"model": "m", "messages": [{"role": "user", "content": "hi"}"#, key: h.clientKey)
        #expect(broken.status == 400)
        #expect(broken.json["error"]?["type"]?.stringValue == "invalid_request_error")
        #expect(broken.json["error"]?["param"]?.stringValue == "$")
        let wrongType = try await h.send("/v1/chat/completions", body: #"{"model":"m","messages":[{"role":"user","content":42}]}"#, key: h.clientKey)
        #expect(wrongType.status == 400)
        #expect(wrongType.json["error"]?["param"]?.stringValue == "$.messages[0].content")
        let missing = try await h.send("/v1/chat/completions", body: #"{"messages":[{"role":"user","content":"x"}]}"#, key: h.clientKey)
        #expect(missing.json["error"]?["param"]?.stringValue == "$.model")
        let role = try await h.send("/v1/chat/completions", body: #"{"model":"m","messages":[{"role":"wizard","content":"x"}]}"#, key: h.clientKey)
        #expect(role.json["error"]?["param"]?.stringValue == "$.messages[0].role")
        let utf8 = try await h.send("/v1/chat/completions", bytes: Array(#"{"model":"m","messages":[{"role":"user","content":""#.utf8) + [0xFF, 0xFE] + Array(#""}]}"#.utf8), key: h.clientKey)
        #expect(utf8.status == 400)
        #expect(utf8.json["error"]?["message"]?.stringValue?.contains("UTF-8") == true)
    }

    @Test("a body over the limit is a 413")
    func bodyTooLarge() async throws {
        let h = try await GatewayHarness.shared.value
        let big = GatewayHarness.chat(String(repeating: "a", count: 5 << 20))
        let reply = try await h.send("/v1/chat/completions", body: big, key: h.clientKey)
        #expect(reply.status == 413)
        #expect(reply.json["error"]?["code"]?.stringValue == "request_too_large")
    }

    @Test("no key, a wrong key or another scheme is a 401 in the OpenAI error format; the Bearer scheme in any case works")
    func unauthorized() async throws {
        let h = try await GatewayHarness.shared.value
        let none = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("hi"))
        #expect(none.status == 401)
        #expect(none.json["error"]?["code"]?.stringValue == "invalid_api_key")
        let wrong = try await h.send("/v1/moderations", body: #"{"input":"hi"}"#, key: "ck_not-a-key")
        #expect(wrong.status == 401)
        // The scheme in any case, spaces around the secret; another scheme is no key.
        let shouted = try await h.send("/v1/moderations", body: #"{"input":"hi"}"#, headers: [("authorization", "BEARER  \(h.clientKey) ")])
        #expect(shouted.status == 200)
        let basic = try await h.send("/v1/moderations", body: #"{"input":"hi"}"#, headers: [("authorization", "Basic \(h.clientKey)")])
        #expect(basic.status == 401)
    }

    @Test("a key over its rate gets 429 with Retry-After")
    func rateLimited() async throws {
        let h = try await GatewayHarness.shared.value
        var statuses: [Int] = []
        for _ in 0..<4 {
            statuses.append(try await h.send("/v1/moderations", body: #"{"input":"hello"}"#, key: h.limitedKey).status)
        }
        #expect(statuses.prefix(2).allSatisfy { $0 == 200 })
        #expect(statuses.last == 429)
        let reply = try await h.send("/v1/moderations", body: #"{"input":"hello"}"#, key: h.limitedKey)
        if reply.status == 429 { #expect(reply.headers.first(name: "retry-after") != nil) }
    }

    @Test("an upstream 5xx is a 502, an upstream 4xx passes through, a reset is a 502")
    func upstreamErrors() async throws {
        let h = try await GatewayHarness.shared.value
        let fivexx = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("[[status:500]]"), key: h.strictKey)
        #expect(fivexx.status == 502)
        #expect(fivexx.json["error"]?["code"]?.stringValue == "upstream_error")
        let fourxx = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("[[status:422]]"), key: h.strictKey)
        #expect(fourxx.status == 422)
        let reset = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("[[reset]]"), key: h.strictKey)
        #expect(reset.status == 502)
        let id = try #require(reset.headers.first(name: "x-custos-request-id"))
        #expect(try await h.records(of: id).first?["outcome"]?.stringValue == "upstream_error")
    }

    @Test("a stream the upstream breaks ends with an error event and a partial record")
    func upstreamBreaksStream() async throws {
        let h = try await GatewayHarness.shared.value
        for directive in ["[[malformed]]", "[[reset]]"] {
            let prompt = directive + " " + String(repeating: "tell me more about the sea ", count: 12)
            let reply = try await h.send("/v1/chat/completions", body: GatewayHarness.chat(prompt, stream: true), key: h.strictKey)
            #expect(reply.status == 200)
            let answer = GatewayHarness.streamedAnswer(reply.body)
            #expect(answer.error?["code"]?.stringValue == "upstream_error", "\(directive)")
            #expect(!GatewayHarness.events(reply.body).contains("[DONE]"))
            let id = try #require(reply.headers.first(name: "x-custos-request-id"))
            let end = try await h.records(of: id).last
            #expect(end?["outcome"]?.stringValue == "upstream_error", "\(directive)")
            #expect(end?["partial"] == .bool(true))
        }
    }

    @Test("an upstream slower than the timeout is a 504")
    func upstreamTimeout() async throws {
        let h = try await GatewayHarness.start { $0.upstreamTimeoutSeconds = 1 }
        defer { Task { await h.stop() } }
        let reply = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("[[delay:3000]] hi"), key: h.strictKey)
        #expect(reply.status == 504)
        #expect(reply.json["error"]?["code"]?.stringValue == "upstream_timeout")
        await h.stop()
    }

    @Test("a client that leaves mid-stream cancels the upstream and still gets its partial answer recorded")
    func clientDisconnects() async throws {
        let h = try await GatewayHarness.shared.value
        let cancelledBefore = h.stats.cancelled
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: h.base + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(h.strictKey)")
        request.body = .bytes(ByteBuffer(string: GatewayHarness.chat("[[long:400]] [[slow:10]] go", stream: true)))
        let response = try await client.execute(request, timeout: .seconds(30))
        let id = try #require(response.headers.first(name: "x-custos-request-id"))
        var received = 0
        for try await buffer in response.body {
            received += buffer.readableBytes
            if received > 200 { break }
        }
        try await client.shutdown()
        var record: JSONValue?
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            record = try await h.records(of: id).last
            if record?["phase"]?.stringValue == "end", h.stats.cancelled > cancelledBefore { break }
        }
        #expect(record?["outcome"]?.stringValue == "client_disconnected")
        #expect(record?["partial"] == .bool(true))
        #expect(h.stats.cancelled > cancelledBefore)
    }

    @Test("with the audit store unavailable nothing is answered: 503")
    func auditUnavailable() async throws {
        let h = try await GatewayHarness.start()
        let ok = try await h.send("/v1/moderations", body: #"{"input":"hello"}"#, key: h.clientKey)
        #expect(ok.status == 200)
        // Another process holds the store's write lock longer than the gateway's busy timeout.
        var blockerConfiguration = Configuration()
        blockerConfiguration.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: h.home.appendingPathComponent("audit.sqlite").path, configuration: blockerConfiguration)
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let reply = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("hello there"), key: h.strictKey)
        #expect(reply.status == 503)
        #expect(reply.json["error"]?["code"]?.stringValue == "audit_unavailable")
        #expect(reply.json["choices"] == nil)
        // While the store is down, requests are refused before the upstream is called.
        let upstreamCalls = h.stats.requests
        let second = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("hello again"), key: h.strictKey)
        #expect(second.status == 503)
        #expect(h.stats.requests == upstreamCalls)
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        let again = try await h.send("/v1/moderations", body: #"{"input":"hello"}"#, key: h.clientKey)
        #expect(again.status == 200)
        await h.stop()
    }

    @Test("without an upstream, chat is a 503 that says how to set one, and moderation still works")
    func noUpstream() async throws {
        let h = try await GatewayHarness.start(upstream: false)
        let chat = try await h.send("/v1/chat/completions", body: GatewayHarness.chat("hi"), key: h.strictKey)
        #expect(chat.status == 503)
        #expect(chat.json["error"]?["message"]?.stringValue?.contains("--upstream") == true)
        let moderation = try await h.send("/v1/moderations", body: #"{"input":"hi"}"#, key: h.clientKey)
        #expect(moderation.status == 200)
        await h.stop()
    }

    @Test("graceful shutdown lets an in-flight request finish and record")
    func gracefulShutdown() async throws {
        let h = try await GatewayHarness.start()
        let inFlight = Task { try await h.send("/v1/chat/completions", body: GatewayHarness.chat("[[delay:1500]] slow one"), key: h.strictKey) }
        try await Task.sleep(for: .milliseconds(400))
        await h.control.shutdown()
        let reply = try await inFlight.value
        #expect(reply.status == 200)
        let id = try #require(reply.headers.first(name: "x-custos-request-id"))
        // Read through another index value once the gateway has stopped: it wrote its queued index entries on the way out.
        _ = try? await h.gatewayTask.value
        let entries = try RequestIndex(path: h.home.appendingPathComponent("gateway.sqlite").path).entries(requestID: id)
        #expect(entries.count == 1)
        await h.stop()
    }
}
