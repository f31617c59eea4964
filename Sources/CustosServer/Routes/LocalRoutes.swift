import CustosAudit
import CustosCore
import CustosGuard
import CustosML
import CustosOpenAI
import Foundation
import Hummingbird

extension Gateway {
    /// The moderation model's names (OpenAI's are accepted as aliases, so SDK defaults work).
    static let moderationModels: Set<String> = ["custos-moderation", "omni-moderation-latest", "text-moderation-latest",
                                                "text-moderation-stable"]
    /// The embedding model's names.
    static let embeddingModels: Set<String> = ["all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"]
    /// OpenAI's moderation categories. Custos has a model for harassment-like offensive language only; the others
    /// are reported as not flagged with score 0, and Custos' own findings are under `custos/…` categories.
    static let openAICategories = [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ]
    /// Most inputs one moderation or embedding request may carry.
    static let maximumInputs = 2048

    /// `POST /v1/moderations`: the caller's input policy on each input, answered in OpenAI's schema.
    func moderations(body: [UInt8], caller: APIKey, requestID: String) async throws -> Response {
        let request: ModerationRequest
        do {
            request = try WireDecoding.decode(ModerationRequest.self, from: body, what: "moderation request")
        } catch let error as CustosError {
            throw GatewayError.invalid(error)
        }
        if let model = request.model, !Self.moderationModels.contains(model) {
            throw GatewayError(.notFound, "the model '\(model)' does not exist; use custos-moderation",
                               type: "invalid_request_error", param: "model", code: "model_not_found")
        }
        let texts: [String]
        switch request.input {
        case .strings(let s): texts = s
        case .parts(let parts):
            if let k = parts.firstIndex(where: { $0.type != "text" }) {
                throw GatewayError(.badRequest, "only text inputs can be moderated here (input[\(k)] is '\(parts[k].type)')",
                                   type: "invalid_request_error", param: "$.input[\(k)].type", code: "unsupported_input")
            }
            texts = parts.map { $0.text ?? "" }
        }
        guard !texts.isEmpty, texts.count <= Self.maximumInputs else {
            throw GatewayError(.badRequest, "input must hold 1...\(Self.maximumInputs) items", type: "invalid_request_error",
                               param: "$.input", code: "invalid_request")
        }
        let pipeline = try policies.pipeline(for: caller)
        var screening = Screening()
        var results: [ModerationResponse.Result] = []
        for text in texts {
            let decision = try pipeline.scan(text, side: .input)
            screening.add(decision)
            results.append(moderationResult(decision))
        }
        count(screening, side: "input")
        let index = try await record(.object([
            "type": .string("moderation"), "request_id": .string(requestID), "caller": .string(caller.name),
            "time": .string(Timestamp.iso8601(Date())), "policy": .string(pipeline.policy.name),
            "policy_version": .string(pipeline.policyVersion), "action": .string(screening.action.rawValue),
            "input": screening.record, "inputs": .number(Double(texts.count)),
        ]))
        _ = index
        let answer = ModerationResponse(id: "modr-" + String(requestID.dropFirst(4)), model: "custos-moderation", results: results)
        var response = JSONResponse.make(.ok, bytes: try answer.json.jsonBytes(), requestID: requestID)
        response.headers[JSONResponse.decisionHeader] = screening.action.rawValue
        return response
    }

    func moderationResult(_ decision: Decision) -> ModerationResponse.Result {
        var categories: [String: Bool] = [:]
        var scores: [String: Double] = [:]
        for name in Self.openAICategories {
            categories[name] = false
            scores[name] = 0
        }
        for report in decision.scanners {
            let name = "custos/\(report.scanner)"
            categories[name] = report.fired
            scores[name] = report.score
            if report.scanner == "offensive" {
                categories["harassment"] = report.fired
                scores["harassment"] = report.score
            }
        }
        let detail = JSONValue.object([
            "action": .string(decision.action.rawValue), "fired": .array(decision.fired.map(JSONValue.string)),
            "policy_version": .string(decision.policyVersion),
            "findings": .array(decision.scanners.flatMap { report in
                report.findings.map { f in
                    JSONValue.object(["scanner": .string(report.scanner), "type": .string(f.type), "start": .number(Double(f.start)),
                                      "end": .number(Double(f.end))])
                }
            }),
        ])
        return ModerationResponse.Result(flagged: decision.action != .allow, categories: categories, categoryScores: scores,
                                         categoryAppliedInputTypes: categories.mapValues { _ in ["text"] }, custos: detail)
    }

    /// `POST /v1/embeddings`: MiniLM sentence vectors, computed here.
    func embeddings(body: [UInt8], caller: APIKey, requestID: String) async throws -> Response {
        let request: EmbeddingRequest
        do {
            request = try WireDecoding.decode(EmbeddingRequest.self, from: body, what: "embedding request")
        } catch let error as CustosError {
            if error.location?.jsonPath?.hasPrefix("$.input") == true {
                throw GatewayError(.badRequest, "input must be a string or an array of strings (token ids are not accepted)",
                                   type: "invalid_request_error", param: "$.input", code: "invalid_request")
            }
            throw GatewayError.invalid(error)
        }
        guard Self.embeddingModels.contains(request.model) else {
            throw GatewayError(.notFound, "the model '\(request.model)' does not exist; use all-MiniLM-L6-v2",
                               type: "invalid_request_error", param: "model", code: "model_not_found")
        }
        let texts = request.input.strings
        guard !texts.isEmpty, texts.count <= Self.maximumInputs else {
            throw GatewayError(.badRequest, "input must hold 1...\(Self.maximumInputs) strings", type: "invalid_request_error",
                               param: "$.input", code: "invalid_request")
        }
        if let k = texts.firstIndex(where: \.isEmpty) {
            throw GatewayError(.badRequest, "input[\(k)] is empty", type: "invalid_request_error", param: "$.input[\(k)]",
                               code: "invalid_request")
        }
        let format = request.encodingFormat ?? "float"
        guard format == "float" || format == "base64" else {
            throw GatewayError(.badRequest, "encoding_format must be 'float' or 'base64'", type: "invalid_request_error",
                               param: "$.encoding_format", code: "invalid_request")
        }
        let embedder = try environment.embedder()
        if let dimensions = request.dimensions, dimensions != embedder.dimension {
            throw GatewayError(.badRequest, "this model has \(embedder.dimension) dimensions; dimensions=\(dimensions) is not supported",
                               type: "invalid_request_error", param: "$.dimensions", code: "invalid_request")
        }
        let vectors = try embedder.embed(texts)
        let items = vectors.enumerated().map { k, e -> EmbeddingResponse.Item in
            if format == "base64" {
                let bytes = e.vector.withUnsafeBufferPointer { buffer in
                    buffer.flatMap { value -> [UInt8] in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
                }
                return .init(index: k, embedding: .string(Data(bytes).base64EncodedString()))
            }
            return .init(index: k, embedding: .array(e.vector.map { .number(Double($0)) }))
        }
        let tokens = vectors.reduce(0) { $0 + $1.tokenIDs.count }
        try await record(.object([
            "type": .string("embeddings"), "request_id": .string(requestID), "caller": .string(caller.name),
            "time": .string(Timestamp.iso8601(Date())), "model": .string(request.model),
            "action": .string("allow"), "inputs": .number(Double(texts.count)), "tokens": .number(Double(tokens)),
        ]))
        return JSONResponse.make(.ok, EmbeddingResponse(data: items, model: request.model, promptTokens: tokens), requestID: requestID)
    }

    /// `GET /v1/models`: the local models, plus the upstream's (or the configured list).
    func models(caller: APIKey, requestID: String) async throws -> Response {
        let created = Int(started.timeIntervalSince1970)
        var ids: [(String, String)] = [("custos-moderation", "custos"), ("all-MiniLM-L6-v2", "custos")]
        if !configuration.models.isEmpty {
            ids += configuration.models.map { ($0, "upstream") }
        } else if let upstream {
            if let bytes = try? await upstream.get("/models", requestID: requestID),
               case .array(let data)? = try? JSONValue.parse(bytes)["data"] {
                ids += data.compactMap { $0["id"]?.stringValue }.map { ($0, "upstream") }
            }
        }
        let list = JSONValue.object([
            "object": .string("list"),
            "data": .array(ids.map { id, owner in
                .object(["id": .string(id), "object": .string("model"), "created": .number(Double(created)), "owned_by": .string(owner)])
            }),
        ])
        return JSONResponse.make(.ok, bytes: try list.jsonBytes(), requestID: requestID)
    }

    /// `POST /v1/feedback` `{"request_id", "rating", "comment"?}`: appended to the audit log, linked to the rated
    /// request (which must exist and belong to the same key).
    func feedback(body: [UInt8], caller: APIKey, requestID: String) async throws -> Response {
        struct Feedback: Decodable {
            var requestID: String
            var rating: Double
            var comment: String?
            var labels: [String]?
            enum CodingKeys: String, CodingKey { case requestID = "request_id", rating, comment, labels }
        }
        let feedback: Feedback
        do {
            feedback = try WireDecoding.decode(Feedback.self, from: body, what: "feedback")
        } catch let error as CustosError {
            throw GatewayError.invalid(error)
        }
        guard feedback.rating.isFinite, (-1...5).contains(feedback.rating) else {
            throw GatewayError(.badRequest, "rating must be a number in -1...5 (e.g. -1/1 thumbs, or 1–5 stars)",
                               type: "invalid_request_error", param: "$.rating", code: "invalid_request")
        }
        if let comment = feedback.comment, comment.utf8.count > 16_384 {
            throw GatewayError(.badRequest, "comment is over 16384 bytes", type: "invalid_request_error", param: "$.comment",
                               code: "invalid_request")
        }
        let rated = try index.entries(requestID: feedback.requestID)
        guard let first = rated.first else {
            throw GatewayError(.notFound, "no request '\(feedback.requestID)' is known to this gateway", type: "invalid_request_error",
                               param: "$.request_id", code: "request_not_found")
        }
        guard first.caller == caller.name || caller.role == .admin else {
            throw GatewayError(.forbidden, "request '\(feedback.requestID)' was made with another key", type: "permission_error",
                               param: "$.request_id", code: "forbidden")
        }
        var record: [String: JSONValue] = [
            "type": .string("feedback"), "request_id": .string(requestID), "rates_request": .string(feedback.requestID),
            "rates_index": .number(Double(rated.last?.auditIndex ?? first.auditIndex)), "caller": .string(caller.name),
            "time": .string(Timestamp.iso8601(Date())), "rating": .number(feedback.rating), "action": .string("allow"),
        ]
        if let labels = feedback.labels { record["labels"] = .array(labels.map(JSONValue.string)) }
        if let comment = feedback.comment {
            record["subject"] = .string(caller.name)
            record["payload"] = .object(["comment": .string(comment)])
        }
        let auditIndex = try await self.record(.object(record))
        return JSONResponse.make(.ok, bytes: try JSONValue.object([
            "object": .string("feedback"), "id": .string(requestID), "request_id": .string(feedback.requestID),
            "audit_index": .number(Double(auditIndex)),
        ]).jsonBytes(), requestID: requestID)
    }

    /// `GET /admin/decisions?limit=N`: the latest requests this gateway indexed.
    func latestDecisions(request: Request, requestID: String) async throws -> Response {
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 50
        guard (1...1000).contains(limit) else {
            throw GatewayError(.badRequest, "limit must be in 1...1000", type: "invalid_request_error", param: "limit")
        }
        let entries = try index.latest(limit: limit)
        return JSONResponse.make(.ok, ["data": entries], requestID: requestID)
    }

    /// `GET /admin/decisions/{request_id}`: the request's audit records as readers see them (payloads decrypted
    /// unless forgotten), each with its log index.
    func decision(of wanted: String, requestID: String) async throws -> Response {
        let entries = try index.entries(requestID: wanted)
        guard !entries.isEmpty else {
            throw GatewayError(.notFound, "no request '\(wanted)' is known to this gateway", type: "invalid_request_error",
                               code: "request_not_found")
        }
        var records: [JSONValue] = []
        for entry in entries {
            let (_, record) = try await recorder.log.readableRecord(at: entry.auditIndex)
            records.append(.object(["index": .number(Double(entry.auditIndex)), "record": record]))
        }
        return JSONResponse.make(.ok, bytes: try JSONValue.object(["request_id": .string(wanted), "records": .array(records)]).jsonBytes(),
                                 requestID: requestID)
    }

    /// `GET /admin/checkpoint`: a freshly signed checkpoint of the log (text, as `custos audit checkpoint`).
    func checkpoint(requestID: String) async throws -> Response {
        let note = try await recorder.log.checkpoint(signer: signer)
        var response = plain(note)
        response.headers[JSONResponse.requestIDHeader] = requestID
        return response
    }
}
