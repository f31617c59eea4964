import CustosAudit
import CustosCore
import CustosGuard
import CustosOpenAI
import Foundation
import HTTPTypes
import Hummingbird

extension Gateway {
    /// A streamed chat answer: the start is recorded before the first byte, the upstream is called (so its
    /// failures still get a proper HTTP status), then events are relayed through a `StreamGuard` per choice.
    /// A block mid-stream ends the stream with `finish_reason: "content_filter"` and an error event the OpenAI SDKs
    /// raise; a client that disconnects cancels the upstream request. The final record (answer, output decision,
    /// partial or not) is appended before the stream's last event.
    func streamChat(upstream: UpstreamClient, body: [UInt8], record start: ChatRecord, pipeline: Pipeline,
                    pseudonyms: PseudonymSession) async throws -> Response {
        var record = start
        record.phase = "start"
        record.outcome = "streaming"
        try await self.record(record)
        record.phase = "end"

        let events: UpstreamEventStream
        let clock = ContinuousClock()
        let upstreamStart = clock.now
        do {
            events = try await upstream.stream("/chat/completions", body: body, requestID: record.requestID)
        } catch {
            record.failedUpstream(error)
            try await self.record(record)
            throw error
        }

        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        headers[JSONResponse.requestIDHeader] = record.requestID
        headers[JSONResponse.decisionHeader] = record.input.action.rawValue
        let finalRecord = record
        let body = ResponseBody { writer in
            var relay = StreamRelay(gateway: self, record: finalRecord, pipeline: pipeline, pseudonyms: pseudonyms)
            await relay.run(events: events, writer: &writer)
            self.metrics.upstream(duration: clock.now - upstreamStart)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

/// The state of one relayed stream.
struct StreamRelay {
    let gateway: Gateway
    var record: ChatRecord
    let pipeline: Pipeline
    let pseudonyms: PseudonymSession
    var guards: [Int: StreamGuard] = [:]
    var finished: Set<Int> = []
    var lastChunk: ChatChunk?

    init(gateway: Gateway, record: ChatRecord, pipeline: Pipeline, pseudonyms: PseudonymSession) {
        self.gateway = gateway
        self.record = record
        self.pipeline = pipeline
        self.pseudonyms = pseudonyms
    }

    mutating func run(events: UpstreamEventStream, writer: inout any ResponseBodyWriter) async {
        var clientGone = false
        do {
            var sawDone = false
            eventLoop: for try await event in events {
                if event.isDone {
                    sawDone = true
                    break
                }
                let chunk: ChatChunk
                do {
                    chunk = try ChatChunk(data: event.data)
                } catch let error as CustosError {
                    throw UpstreamFailure.malformed(error.description)
                }
                lastChunk = chunk
                if let usage = chunk.usage { record.usage = usage }
                var out: [ChatChunk.Delta] = []
                var passThrough = true
                for delta in chunk.deltas {
                    var g = guards[delta.choice] ?? StreamGuard(pipeline: pipeline, pseudonyms: pseudonyms)
                    defer { guards[delta.choice] = g }
                    if let content = delta.content, !content.isEmpty {
                        passThrough = false
                        switch try g.add(content) {
                        case .release(let text):
                            if !text.isEmpty { out.append(.init(choice: delta.choice, content: text, finishReason: nil)) }
                        case .block(let decision):
                            guards[delta.choice] = g
                            try await block(choice: delta.choice, decision: decision, chunk: chunk, writer: &writer, clientGone: &clientGone)
                            return
                        }
                    }
                    if let reason = delta.finishReason {
                        passThrough = false
                        switch try g.finish() {
                        case .release(let text):
                            out.append(.init(choice: delta.choice, content: text.isEmpty ? nil : text, finishReason: reason))
                            finished.insert(delta.choice)
                        case .block(let decision):
                            guards[delta.choice] = g
                            try await block(choice: delta.choice, decision: decision, chunk: chunk, writer: &writer, clientGone: &clientGone)
                            return
                        }
                    }
                }
                if passThrough {
                    try await send(chunk, writer: &writer, clientGone: &clientGone)
                } else if !out.isEmpty {
                    try await send(chunk.replacingChoices(out), writer: &writer, clientGone: &clientGone)
                }
                if chunk.deltas.isEmpty, chunk.usage != nil { continue eventLoop }
            }
            // Choices the upstream never finished explicitly: flush them.
            for choice in guards.keys.sorted() where !finished.contains(choice) {
                guard var g = guards[choice] else { continue }
                let step = try g.finish()
                guards[choice] = g
                switch step {
                case .release(let text):
                    if let chunk = lastChunk, !text.isEmpty {
                        try await send(chunk.replacingChoices([.init(choice: choice, content: text, finishReason: nil)]),
                                       writer: &writer, clientGone: &clientGone)
                    }
                case .block(let decision):
                    try await block(choice: choice, decision: decision, chunk: lastChunk, writer: &writer, clientGone: &clientGone)
                    return
                }
            }
            if !sawDone && finished.count < max(1, guards.count) {
                record.partial = true
                throw UpstreamFailure.reset("the upstream ended the stream without finishing the answer")
            }
            collect()
            record.outcome = "completed"
            record.status = 200
            guard await persist(writer: &writer, clientGone: &clientGone) else { return }
            try await write(SSEWriter.done, writer: &writer, clientGone: &clientGone)
            try await writer.finish(nil)
        } catch let failure as UpstreamFailure {
            collect()
            record.partial = true
            record.outcome = clientGone ? "client_disconnected" : "upstream_error"
            record.error = "\(failure)"
            gateway.metrics.upstreamError(kind: Gateway.kind(failure))
            _ = await persist(writer: &writer, clientGone: &clientGone)
            if !clientGone {
                try? await errorEvent(GatewayError.upstream(failure), writer: &writer, clientGone: &clientGone)
                try? await writer.finish(nil)
            }
        } catch {
            collect()
            record.partial = true
            record.outcome = clientGone ? "client_disconnected" : "error"
            record.error = clientGone ? "the client closed the connection" : "\(error)"
            _ = await persist(writer: &writer, clientGone: &clientGone)
            if !clientGone { try? await writer.finish(nil) }
        }
    }

    /// Ends the stream because the policy blocks the answer.
    mutating func block(choice: Int, decision: Decision, chunk: ChatChunk?, writer: inout any ResponseBodyWriter,
                        clientGone: inout Bool) async throws {
        collect()
        record.outcome = "blocked_output"
        record.status = 200
        record.partial = true
        var screening = Screening()
        screening.add(decision)
        let reason = screening.reason(policy: pipeline.policy.name)
        if let chunk {
            try await send(chunk.replacingChoices([.init(choice: choice, content: nil, finishReason: "content_filter")]),
                           writer: &writer, clientGone: &clientGone)
        }
        guard await persist(writer: &writer, clientGone: &clientGone) else { return }
        try await errorEvent(GatewayError(.badRequest, reason, type: "invalid_request_error", code: "content_filter"),
                             writer: &writer, clientGone: &clientGone)
        try await writer.finish(nil)
    }

    /// Gathers the guards' answers and decisions into the record.
    mutating func collect() {
        var output = Screening()
        for choice in guards.keys.sorted() {
            guard let g = guards[choice] else { continue }
            for decision in g.screening.decisions { output.add(decision) }
        }
        record.output = output
        record.answers = guards.keys.sorted().map { guards[$0]?.delivered }
        gateway.count(output, side: "output")
    }

    /// Appends the final record; on failure tells the caller (if still there) and returns false.
    mutating func persist(writer: inout any ResponseBodyWriter, clientGone: inout Bool) async -> Bool {
        do {
            try await gateway.record(record)
            return true
        } catch let error as GatewayError {
            if !clientGone {
                try? await errorEvent(error, writer: &writer, clientGone: &clientGone)
                try? await writer.finish(nil)
            }
            return false
        } catch {
            return false
        }
    }

    func send(_ chunk: ChatChunk, writer: inout any ResponseBodyWriter, clientGone: inout Bool) async throws {
        try await write(SSEWriter.event(try chunk.bytes()), writer: &writer, clientGone: &clientGone)
    }

    func errorEvent(_ error: GatewayError, writer: inout any ResponseBodyWriter, clientGone: inout Bool) async throws {
        let data = try JSONValue.object([
            "error": .object([
                "message": .string(error.body.error.message), "type": .string(error.body.error.type),
                "code": error.body.error.code.map(JSONValue.string) ?? .null,
            ]),
        ]).jsonBytes()
        try await write(SSEWriter.event(data), writer: &writer, clientGone: &clientGone)
    }

    func write(_ bytes: [UInt8], writer: inout any ResponseBodyWriter, clientGone: inout Bool) async throws {
        do {
            try await writer.write(ByteBuffer(bytes: bytes))
        } catch {
            clientGone = true
            throw error
        }
    }
}
