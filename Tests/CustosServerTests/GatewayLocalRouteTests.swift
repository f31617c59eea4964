import CustosCore
import CustosML
import CustosServer
import Foundation
import Testing

@Suite("Gateway: moderation, embeddings, models and operations, served locally")
struct GatewayLocalRouteTests {
    @Test("moderation answers OpenAI's schema with Custos' scanners and spans")
    func moderation() async throws {
        let h = try await GatewayHarness.shared.value
        let reply = try await h.send("/v1/moderations", body: #"{"model":"omni-moderation-latest","input":["have a nice day","you are a stupid fucking idiot","mail me at bob.smith@example.com"]}"#,
                                     key: h.clientKey)
        #expect(reply.status == 200)
        guard case .array(let results)? = reply.json["results"] else { Issue.record("no results"); return }
        #expect(results.count == 3)
        #expect(results[0]["flagged"] == .bool(false))
        #expect(results[1]["flagged"] == .bool(true))
        #expect(results[1]["categories"]?["harassment"] == .bool(true))
        #expect((results[1]["category_scores"]?["harassment"]?.numberValue ?? 0) > 0.9)
        #expect(results[0]["categories"]?["self-harm"] == .bool(false))
        #expect(results[2]["categories"]?["custos/pii"] == .bool(true))
        guard case .array(let findings)? = results[2]["custos"]?["findings"] else { Issue.record("no findings"); return }
        #expect(findings.contains { $0["type"]?.stringValue == "EMAIL_ADDRESS" && $0["start"]?.numberValue == 11 })
        #expect(reply.json["model"]?.stringValue == "custos-moderation")
        let unknown = try await h.send("/v1/moderations", body: #"{"model":"nope","input":"x"}"#, key: h.clientKey)
        #expect(unknown.status == 404)
        #expect(unknown.json["error"]?["code"]?.stringValue == "model_not_found")
        let image = try await h.send("/v1/moderations", body: #"{"input":[{"type":"image_url","image_url":{"url":"http://x"}}]}"#, key: h.clientKey)
        #expect(image.status == 400)
    }

    @Test("embeddings are MiniLM's vectors, as floats or base64")
    func embeddings() async throws {
        let h = try await GatewayHarness.shared.value
        let texts = ["A man is playing a guitar.", "Someone plays an instrument."]
        let reply = try await h.send("/v1/embeddings", body: #"{"model":"all-MiniLM-L6-v2","input":["A man is playing a guitar.","Someone plays an instrument."]}"#,
                                     key: h.clientKey)
        #expect(reply.status == 200)
        guard case .array(let data)? = reply.json["data"], case .array(let first)? = data.first?["embedding"] else {
            Issue.record("no data"); return
        }
        #expect(first.count == 384)
        let expected = try Embedder(home: CustosHome()).embed(texts)
        for (k, value) in first.enumerated() { #expect(abs((value.numberValue ?? 0) - Double(expected[0].vector[k])) < 1e-6) }
        #expect((reply.json["usage"]?["prompt_tokens"]?.numberValue ?? 0) == Double(expected.reduce(0) { $0 + $1.tokenIDs.count }))
        let b64 = try await h.send("/v1/embeddings", body: #"{"model":"all-MiniLM-L6-v2","input":"Someone plays an instrument.","encoding_format":"base64"}"#,
                                   key: h.clientKey)
        guard case .array(let items)? = b64.json["data"], let text = items.first?["embedding"]?.stringValue,
              let bytes = Data(base64Encoded: text) else { Issue.record("no base64"); return }
        let floats = bytes.withUnsafeBytes { raw in (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        // Float32 bits, little-endian, equal to MiniLM's vector up to summation order (the reference was computed in a
        // batch of two, padded to the longer text; BLAS kernels differ by CPU).
        #expect(floats.count == 384)
        for (k, value) in floats.enumerated() { #expect(abs(value - expected[1].vector[k]) < 1e-6) }
        let tokens = try await h.send("/v1/embeddings", body: #"{"model":"all-MiniLM-L6-v2","input":[[1,2,3]]}"#, key: h.clientKey)
        #expect(tokens.status == 400)
        #expect(tokens.json["error"]?["param"]?.stringValue == "$.input")
        let model = try await h.send("/v1/embeddings", body: #"{"model":"text-embedding-3-small","input":"x"}"#, key: h.clientKey)
        #expect(model.status == 404)
    }

    @Test("models lists the local models and the upstream's")
    func models() async throws {
        let h = try await GatewayHarness.shared.value
        let reply = try await h.send(.GET, "/v1/models", key: h.clientKey)
        guard case .array(let data)? = reply.json["data"] else { Issue.record("no data"); return }
        let ids = data.compactMap { $0["id"]?.stringValue }
        #expect(ids.contains("custos-moderation"))
        #expect(ids.contains("all-MiniLM-L6-v2"))
        #expect(ids.contains("echo-1"))
    }

    @Test("metrics, health and readiness")
    func operations() async throws {
        let h = try await GatewayHarness.shared.value
        _ = try await h.send("/v1/moderations", body: #"{"input":"you idiot"}"#, key: h.clientKey)
        let metrics = try await h.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"custos_requests_total{route="moderations",status="200"}"#))
        #expect(metrics.text.contains("custos_request_duration_seconds_bucket"))
        #expect(try await h.send(.GET, "/healthz").status == 200)
        #expect(try await h.send(.GET, "/readyz").status == 200)
    }

    @Test("custos.yaml is validated with file and line")
    func configuration() throws {
        let config = try GatewayConfiguration.parse("port: 9000\nupstream: http://127.0.0.1:1/v1\nmodels: [a, b]\n")
        #expect(config.port == 9000)
        #expect(config.models == ["a", "b"])
        #expect(throws: CustosError.self) { try GatewayConfiguration.parse("prot: 9000\n", file: "custos.yaml") }
        do {
            _ = try GatewayConfiguration.parse("host: x\nport: nine\n", file: "custos.yaml")
            Issue.record("accepted a bad port")
        } catch let error as CustosError {
            #expect(error.location?.line == 2)
            #expect(error.description.contains("custos.yaml"))
        }
        #expect(throws: CustosError.self) { try GatewayConfiguration.parse("upstream: ftp://x\n") }
    }
}
