import CustosCore
import CustosOpenAI
import Foundation

/// One chat message sent to a target.
public struct ChatTurn: Sendable, Equatable, Codable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// The text.
    public var content: String

    /// A message.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A target's answer.
public struct ChatAnswer: Sendable, Equatable {
    /// The first choice's text ("" when the target sent none).
    public var text: String
    /// Prompt and completion tokens, when the target reports them.
    public var promptTokens: Int?
    /// See `promptTokens`.
    public var completionTokens: Int?
    /// Whether a content filter stopped the request or the answer (a guardrail gateway's block: HTTP 400 with code
    /// `content_filter`, or `finish_reason: content_filter`).
    public var blocked: Bool

    /// An answer.
    public init(text: String, promptTokens: Int? = nil, completionTokens: Int? = nil, blocked: Bool = false) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.blocked = blocked
    }
}

/// Why a target call failed, and whether trying again can help.
public struct TargetFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A one-line explanation.
    public var description: String
    /// Whether the call may succeed later (429, 5xx, timeouts, lost connections).
    public var retryable: Bool
    /// Whether the target said it is rate-limiting (429): the runner backs off longer.
    public var rateLimited: Bool

    /// A failure.
    public init(_ description: String, retryable: Bool, rateLimited: Bool = false) {
        self.description = description
        self.retryable = retryable
        self.rateLimited = rateLimited
    }
}

/// What evaluations send prompts to: a model behind an OpenAI-compatible endpoint (`OpenAIChatTarget`), `custos
/// serve` in front of one, or an in-process stand-in.
public protocol ChatTarget: Sendable {
    /// A short description for reports ("http://host/v1, model gpt-x").
    var label: String { get }
    /// Sends the messages and returns the answer.
    func complete(_ messages: [ChatTurn], temperature: Double, maxTokens: Int?) async throws(TargetFailure) -> ChatAnswer
}

/// Any OpenAI-compatible chat endpoint, through the gateway's `UpstreamClient` (pooled keep-alive connections).
public final class OpenAIChatTarget: ChatTarget {
    /// The model name sent in every request.
    public let model: String
    private let client: UpstreamClient

    /// A target at `baseURL` (e.g. `http://127.0.0.1:8080/v1`).
    public init(baseURL: String, model: String, apiKey: String? = nil, timeout: Duration = .seconds(120)) throws {
        self.model = model
        client = UpstreamClient(configuration: try UpstreamConfiguration(baseURL: baseURL, apiKey: apiKey, timeout: timeout))
    }

    /// Closes the connection pool.
    public func shutdown() async { try? await client.shutdown() }

    public var label: String { "\(client.configuration.baseURL), model \(model)" }

    public func complete(_ messages: [ChatTurn], temperature: Double, maxTokens: Int?) async throws(TargetFailure) -> ChatAnswer {
        var request: [String: JSONValue] = [
            "model": .string(model), "temperature": .number(temperature),
            "messages": .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }),
        ]
        if let maxTokens { request["max_tokens"] = .number(Double(maxTokens)) }
        let body: [UInt8]
        do { body = try JSONValue.object(request).jsonBytes() } catch { throw TargetFailure("cannot encode the request: \(error)", retryable: false) }
        let answer: [UInt8]
        do {
            answer = try await client.post("/chat/completions", body: body, requestID: UUID().uuidString)
        } catch {
            switch error {
            case .status(400, let body) where (try? JSONValue.parse(body))?["error"]?["code"]?.stringValue == "content_filter":
                return ChatAnswer(text: "", blocked: true)
            case .status(let code, _):
                throw TargetFailure(error.description, retryable: code == 429 || code == 408 || code >= 500, rateLimited: code == 429)
            case .timeout, .unreachable, .reset:
                throw TargetFailure(error.description, retryable: true)
            case .malformed:
                throw TargetFailure(error.description, retryable: false)
            }
        }
        do {
            let response = try ChatResponse(body: answer)
            var finish: String?
            if case .array(let choices)? = response.raw["choices"] { finish = choices.first?["finish_reason"]?.stringValue }
            return ChatAnswer(text: response.contents.first.flatMap { $0 } ?? "", promptTokens: response.usage?.promptTokens,
                              completionTokens: response.usage?.completionTokens, blocked: finish == "content_filter")
        } catch {
            throw TargetFailure("the target's answer is not an OpenAI chat completion: \(error)", retryable: false)
        }
    }
}
