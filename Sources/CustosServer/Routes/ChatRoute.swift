import CustosAudit
import CustosCore
import CustosGuard
import CustosOpenAI
import Foundation
import HTTPTypes
import Hummingbird

extension Gateway {
    /// `POST /v1/chat/completions`: screen every message, forward (sanitized) upstream, screen the answer,
    /// restore pseudonyms, record, answer.
    func chat(body: [UInt8], caller: APIKey, requestID: String, request: Request) async throws -> Response {
        let chat: ChatRequest
        do {
            chat = try ChatRequest(body: body)
        } catch let error as CustosError {
            throw GatewayError.invalid(error)
        }
        if !configuration.models.isEmpty, !configuration.models.contains(chat.model) {
            throw GatewayError(.notFound, "the model '\(chat.model)' does not exist or you do not have access to it",
                               type: "invalid_request_error", param: "model", code: "model_not_found")
        }
        let pipeline = try policies.pipeline(for: caller)
        let pseudonyms = try PseudonymSession(key: pseudonymKey)
        let clock = ContinuousClock()
        let screenStart = clock.now

        var input = Screening()
        var replacements: [MessageText] = []
        for text in chat.texts {
            let decision = try pipeline.scan(text.text, side: .input, pseudonyms: pseudonyms)
            input.add(decision)
            if let sanitized = decision.sanitized, decision.action != .block {
                var replaced = text
                replaced.text = sanitized
                replacements.append(replaced)
            }
        }
        metrics.screening(side: "input", duration: clock.now - screenStart)
        count(input, side: "input")
        var record = ChatRecord(gateway: self, requestID: requestID, caller: caller, request: request, chat: chat,
                                pipeline: pipeline, input: input)

        if input.action == .block {
            record.outcome = "blocked_input"
            record.status = 400
            try await self.record(record)
            var response = GatewayError(.badRequest, input.reason(policy: pipeline.policy.name), type: "invalid_request_error",
                                        code: "content_filter").response(requestID: requestID)
            response.headers[JSONResponse.decisionHeader] = GuardAction.block.rawValue
            return response
        }
        guard let upstream else {
            record.outcome = "no_upstream"
            record.status = 503
            try await self.record(record)
            throw GatewayError(.serviceUnavailable,
                               "no upstream model is configured: start `custos serve --upstream URL` (an OpenAI-compatible base URL such as http://127.0.0.1:8000/v1) or set 'upstream:' in custos.yaml",
                               type: "server_error", code: "no_upstream")
        }
        if await recorder.failedRecently() {
            metrics.auditFailure()
            throw GatewayError(.serviceUnavailable, "the audit log is unavailable, so the gateway answers nothing (fail closed); retry later",
                               type: "server_error", code: "audit_unavailable")
        }
        let upstreamBody = try chat.upstreamBody(replacing: replacements)
        if chat.stream {
            return try await streamChat(upstream: upstream, body: upstreamBody, record: record, pipeline: pipeline,
                                        pseudonyms: pseudonyms)
        }

        let upstreamStart = clock.now
        let answerBytes: [UInt8]
        do {
            answerBytes = try await upstream.post("/chat/completions", body: upstreamBody, requestID: requestID)
        } catch {
            record.failedUpstream(error)
            try await self.record(record)
            throw error
        }
        metrics.upstream(duration: clock.now - upstreamStart)
        var answer: ChatResponse
        do {
            answer = try ChatResponse(body: answerBytes)
        } catch let error as CustosError {
            record.outcome = "upstream_error"
            record.error = error.description
            record.status = 502
            try await self.record(record)
            throw UpstreamFailure.malformed(error.description)
        }

        let outputStart = clock.now
        // A request pinned to its event loop screens a long answer off it, as a long request is (GatewayExecutors).
        let long = answerBytes.count > GatewayExecutors.loopBodyBytes
        let (output, delivered) = try await withTaskExecutorPreference(long ? executors.offLoop : nil) {
            try Self.screen(&answer, pipeline: pipeline, pseudonyms: pseudonyms)
        }
        metrics.screening(side: "output", duration: clock.now - outputStart)
        count(output, side: "output")
        record.output = output
        record.answers = delivered
        record.usage = answer.usage
        record.outcome = output.action == .block ? "blocked_output" : "completed"
        record.status = 200
        try await self.record(record)

        var response = JSONResponse.make(.ok, bytes: try answer.bytes(), requestID: requestID)
        response.headers[JSONResponse.decisionHeader] = max(input.action, output.action).rawValue
        return response
    }

    /// Screens each choice of `answer`: a blocked one becomes a refusal, the others are sanitized and get their
    /// pseudonyms back. Returns the screening and the texts delivered (nil where blocked or empty).
    static func screen(_ answer: inout ChatResponse, pipeline: Pipeline,
                       pseudonyms: PseudonymSession) throws -> (Screening, [String?]) {
        var output = Screening()
        var delivered: [String?] = []
        for (k, content) in answer.contents.enumerated() {
            guard let content else {
                delivered.append(nil)
                continue
            }
            let decision = try pipeline.scan(content, side: .output)
            output.add(decision)
            if decision.action == .block {
                answer.setContent(choice: k, to: nil, refusal: output.reason(policy: pipeline.policy.name))
                delivered.append(nil)
                continue
            }
            let restored = try pseudonyms.restore(decision.sanitized ?? content)
            answer.setContent(choice: k, to: restored)
            delivered.append(restored)
        }
        return (output, delivered)
    }

    /// Appends a request's record; when the store fails the request fails with 503 and nothing is answered.
    func record(_ record: ChatRecord) async throws {
        try await self.record(record.json)
    }

    /// Appends a record; a store failure becomes 503 (fail closed: nothing is answered unrecorded).
    @discardableResult
    func record(_ json: JSONValue) async throws -> Int {
        do {
            return try await recorder.record(json)
        } catch {
            metrics.auditFailure()
            throw GatewayError(.serviceUnavailable, "the audit log is unavailable, so the gateway answers nothing (fail closed); retry later",
                               type: "server_error", code: "audit_unavailable")
        }
    }

    func count(_ screening: Screening, side: String) {
        for decision in screening.decisions {
            for report in decision.scanners where report.fired {
                metrics.decision(side: side, scanner: report.scanner, action: report.action.rawValue)
            }
        }
    }
}

/// Everything the audit record of one chat request says.
struct ChatRecord: Sendable {
    let requestID: String
    let caller: APIKey
    let subject: String
    let model: String
    let upstream: String?
    let policyName: String
    let policyVersion: String
    let stream: Bool
    let prompt: [JSONValue]
    let started = Date()
    var input: Screening
    var output = Screening()
    var answers: [String?] = []
    var usage: TokenUsage?
    var outcome = "completed"
    var status = 200
    var partial = false
    var error: String?
    var phase: String?

    init(gateway: Gateway, requestID: String, caller: APIKey, request: Request, chat: ChatRequest, pipeline: Pipeline,
         input: Screening) {
        self.requestID = requestID
        self.caller = caller
        let subjectHeader = request.headers[JSONResponse.subjectHeader]
        subject = subjectHeader.map { "\(caller.name)/\($0)" } ?? caller.name
        model = chat.model
        upstream = gateway.configuration.upstream
        policyName = pipeline.policy.name
        policyVersion = pipeline.policyVersion
        stream = chat.stream
        prompt = chat.texts.map { .object(["role": .string($0.role), "text": .string($0.text)]) }
        self.input = input
    }

    /// Marks the request as failed by the upstream, with the status the caller gets.
    mutating func failedUpstream(_ failure: UpstreamFailure) {
        outcome = "upstream_error"
        error = "\(failure)"
        status = Int(GatewayError.upstream(failure).status.code)
    }

    var json: JSONValue {
        let action = max(input.action, output.action)
        var object: [String: JSONValue] = [
            "type": .string("chat"), "request_id": .string(requestID), "caller": .string(caller.name),
            "time": .string(Timestamp.iso8601(started)), "model": .string(model),
            "upstream": upstream.map(JSONValue.string) ?? .null, "policy": .string(policyName),
            "policy_version": .string(policyVersion), "action": .string(action.rawValue), "input": input.record,
            "outcome": .string(outcome), "status": .number(Double(status)), "stream": .bool(stream),
            "subject": .string(subject),
            "latency_ms": .number((Date().timeIntervalSince(started) * 1e6).rounded() / 1e3),
        ]
        if !output.decisions.isEmpty { object["output"] = output.record }
        if partial { object["partial"] = .bool(true) }
        if let error { object["error"] = .string(error) }
        if let phase { object["phase"] = .string(phase) }
        if let usage {
            object["usage"] = .object(["prompt_tokens": .number(Double(usage.promptTokens)),
                                       "completion_tokens": .number(Double(usage.completionTokens))])
        }
        var payload: [String: JSONValue] = ["messages": .array(prompt)]
        if !answers.isEmpty { payload["answers"] = .array(answers.map { $0.map(JSONValue.string) ?? .null }) }
        object["payload"] = .object(payload)
        return .object(object)
    }
}
