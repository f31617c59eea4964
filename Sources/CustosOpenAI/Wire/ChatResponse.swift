import CustosCore
import Foundation

/// A non-streamed chat completion as an upstream sent it: every field kept, the answer texts readable and
/// replaceable.
public struct ChatResponse: Sendable {
    /// The whole body.
    public private(set) var raw: [String: JSONValue]

    /// Parses an upstream body; a body that is not a chat completion is an error naming the path.
    public init(body: [UInt8]) throws {
        guard case .object(let object) = try WireDecoding.json(body, what: "upstream response") else {
            throw CustosError(.upstream, "upstream response: expected a JSON object", at: SourceLocation(jsonPath: "$"))
        }
        guard case .array(let choices) = object["choices"] else {
            throw CustosError(.upstream, "upstream response: missing 'choices' array", at: SourceLocation(jsonPath: "$.choices"))
        }
        for (k, choice) in choices.enumerated() {
            guard case .object(let c) = choice, case .object(let message)? = c["message"] else {
                throw CustosError(.upstream, "upstream response: choice without a message",
                                  at: SourceLocation(jsonPath: "$.choices[\(k)].message"))
            }
            if let content = message["content"], content != .null, content.stringValue == nil {
                throw CustosError(.upstream, "upstream response: message content is not a string",
                                  at: SourceLocation(jsonPath: "$.choices[\(k)].message.content"))
            }
        }
        raw = object
    }

    /// Each choice's answer text (`nil` when the message has none, e.g. only tool calls).
    public var contents: [String?] {
        guard case .array(let choices)? = raw["choices"] else { return [] }
        return choices.map { $0["message"]?["content"]?.stringValue }
    }

    /// Token usage, when the upstream reported it.
    public var usage: TokenUsage? { TokenUsage(raw["usage"]) }

    /// Replaces choice `index`'s content; `refusal` (when given) replaces the content by OpenAI's `refusal` field
    /// and sets `finish_reason` to `content_filter`.
    public mutating func setContent(choice index: Int, to text: String?, refusal: String? = nil) {
        guard case .array(var choices)? = raw["choices"], choices.indices.contains(index),
              case .object(var choice) = choices[index], case .object(var message)? = choice["message"] else { return }
        message["content"] = text.map(JSONValue.string) ?? .null
        if let refusal {
            message["refusal"] = .string(refusal)
            choice["finish_reason"] = .string("content_filter")
        }
        choice["message"] = .object(message)
        choices[index] = .object(choice)
        raw["choices"] = .array(choices)
    }

    /// The body to return to the caller.
    public func bytes() throws -> [UInt8] { try JSONValue.object(raw).jsonBytes() }
}

/// One `chat.completion.chunk` event of a streamed answer, fields kept.
public struct ChatChunk: Sendable {
    /// One choice's part of the chunk.
    public struct Delta: Sendable, Equatable {
        /// The choice index.
        public var choice: Int
        /// New answer text, if any.
        public var content: String?
        /// Set on the choice's last chunk.
        public var finishReason: String?

        /// A delta.
        public init(choice: Int, content: String?, finishReason: String?) {
            self.choice = choice
            self.content = content
            self.finishReason = finishReason
        }
    }

    /// The whole event.
    public private(set) var raw: [String: JSONValue]

    /// Parses one event's data; anything but a JSON object with a `choices` array is an error.
    public init(data: [UInt8]) throws {
        guard case .object(let object) = try WireDecoding.json(data, what: "upstream stream event") else {
            throw CustosError(.upstream, "upstream stream event: expected a JSON object", at: SourceLocation(jsonPath: "$"))
        }
        if let error = object["error"] {
            let message = error["message"]?.stringValue ?? "an error event"
            throw CustosError(.upstream, "upstream sent an error mid-stream: \(message)")
        }
        guard case .array = object["choices"] else {
            throw CustosError(.upstream, "upstream stream event: missing 'choices' array", at: SourceLocation(jsonPath: "$.choices"))
        }
        raw = object
    }

    /// The choices' deltas.
    public var deltas: [Delta] {
        guard case .array(let choices)? = raw["choices"] else { return [] }
        return choices.enumerated().map { k, choice in
            Delta(choice: choice["index"]?.numberValue.map { Int($0) } ?? k,
                  content: choice["delta"]?["content"]?.stringValue,
                  finishReason: choice["finish_reason"]?.stringValue)
        }
    }

    /// Token usage (the last chunk when `stream_options.include_usage` was set).
    public var usage: TokenUsage? { TokenUsage(raw["usage"]) }

    /// A chunk with the same envelope (id, model, created, …) carrying `deltas` instead.
    public func replacingChoices(_ deltas: [Delta]) -> ChatChunk {
        var copy = self
        copy.raw["choices"] = .array(deltas.map { delta in
            var d: [String: JSONValue] = [:]
            if let content = delta.content { d["content"] = .string(content) }
            return .object([
                "index": .number(Double(delta.choice)), "delta": .object(d),
                "finish_reason": delta.finishReason.map(JSONValue.string) ?? .null,
            ])
        })
        copy.raw["usage"] = nil
        return copy
    }

    /// The event's JSON.
    public func bytes() throws -> [UInt8] { try JSONValue.object(raw).jsonBytes() }
}

/// Token counts an upstream reports.
public struct TokenUsage: Sendable, Equatable, Codable {
    /// Prompt tokens.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int

    /// Counts.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    init?(_ value: JSONValue?) {
        guard let value, let p = value["prompt_tokens"]?.numberValue, let c = value["completion_tokens"]?.numberValue else {
            return nil
        }
        promptTokens = Int(p)
        completionTokens = Int(c)
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// The body of an OpenAI API error: `{"error": {"message", "type", "param", "code"}}`.
public struct APIErrorBody: Sendable, Equatable, Codable {
    /// The error.
    public struct Detail: Sendable, Equatable, Codable {
        /// Human-readable message.
        public var message: String
        /// `invalid_request_error`, `authentication_error`, `rate_limit_error`, `server_error`, …
        public var type: String
        /// The offending parameter (a JSON path for body errors), if any.
        public var param: String?
        /// A machine-readable code (`content_filter`, `model_not_found`, …).
        public var code: String?
    }

    /// The error.
    public var error: Detail

    /// An error body.
    public init(message: String, type: String, param: String? = nil, code: String? = nil) {
        error = Detail(message: message, type: type, param: param, code: code)
    }
}
