import CustosCore
import Foundation

/// The typed view of `POST /v1/chat/completions` that Custos needs; every other field of the body is kept
/// verbatim in `ChatRequest.raw` and forwarded unchanged.
public struct ChatCompletionRequest: Sendable, Decodable {
    /// A request.
    public init(model: String, messages: [ChatMessage], stream: Bool?) {
        self.model = model
        self.messages = messages
        self.stream = stream
    }

    /// The model the caller asked for.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Whether the answer is streamed as server-sent events.
    public var stream: Bool?
}

/// One message of a chat request.
public struct ChatMessage: Sendable, Decodable {
    /// A message.
    public init(role: String, content: MessageContent?) {
        self.role = role
        self.content = content
    }

    /// `system`, `developer`, `user`, `assistant`, `tool` or `function`.
    public var role: String
    /// Text, an array of content parts, or absent (assistant tool calls).
    public var content: MessageContent?
}

/// A message's content: a string or an array of parts.
public enum MessageContent: Sendable, Decodable {
    /// Plain text.
    case text(String)
    /// Typed parts (`text`, `image_url`, `input_audio`, `file`, `refusal`).
    case parts([ContentPart])

    /// Decodes a string, an array of parts or null.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .text(s); return }
        if (try? c.decode([JSONValue].self)) != nil {
            self = .parts(try c.decode([ContentPart].self))
            return
        }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string or an array of content parts"))
    }
}

/// One content part; only `text` parts carry text Custos screens.
public struct ContentPart: Sendable, Decodable {
    /// A part.
    public init(type: String, text: String?) {
        self.type = type
        self.text = text
    }

    /// The part type.
    public var type: String
    /// The text of a `text` (or `refusal`) part.
    public var text: String?
}

/// Where a screened text sits in a chat request.
public struct MessageText: Sendable, Equatable {
    /// Index in `messages`.
    public var message: Int
    /// Index in the message's content parts, or `nil` when the content is a string.
    public var part: Int?
    /// The message's role.
    public var role: String
    /// The text.
    public var text: String

    /// A located text.
    public init(message: Int, part: Int?, role: String, text: String) {
        self.message = message
        self.part = part
        self.role = role
        self.text = text
    }

    /// The JSON path of this text in the request (`$.messages[1].content[0].text`).
    public var jsonPath: String {
        "$.messages[\(message)].content" + (part.map { "[\($0)].text" } ?? "")
    }
}

/// A validated chat request: the typed view plus the raw body, which is what goes upstream.
public struct ChatRequest: Sendable {
    /// Roles the OpenAI API accepts.
    public static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    /// The typed fields.
    public let typed: ChatCompletionRequest
    /// The whole body as sent.
    public let raw: [String: JSONValue]

    /// Parses and validates a request body (one pass over the bytes, then the fields Custos reads are checked
    /// by hand); errors name the JSON path.
    public init(body: [UInt8]) throws {
        let value = try WireDecoding.json(body, what: "chat request")
        guard case .object(let object) = value else {
            throw Self.invalid("expected a JSON object", "$")
        }
        let model = try Self.string(object["model"], "$.model", required: true) ?? ""
        guard let messagesValue = object["messages"] else { throw Self.invalid("missing required field 'messages'", "$.messages") }
        guard case .array(let items) = messagesValue else { throw Self.invalid("expected an array", "$.messages") }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            let path = "$.messages[\(k)]"
            guard case .object(let message) = item else { throw Self.invalid("expected an object", path) }
            let role = try Self.string(message["role"], path + ".role", required: true) ?? ""
            var content: MessageContent?
            switch message["content"] {
            case nil, .null?: content = nil
            case .string(let text)?: content = .text(text)
            case .array(let rawParts)?:
                var parts: [ContentPart] = []
                for (j, rawPart) in rawParts.enumerated() {
                    let partPath = "\(path).content[\(j)]"
                    guard case .object(let part) = rawPart else { throw Self.invalid("expected a content part object", partPath) }
                    let type = try Self.string(part["type"], partPath + ".type", required: true) ?? ""
                    let text = try Self.string(part["text"], partPath + ".text", required: false)
                    parts.append(ContentPart(type: type, text: text))
                }
                content = .parts(parts)
            default:
                throw Self.invalid("expected a string or an array of content parts", path + ".content")
            }
            messages.append(ChatMessage(role: role, content: content))
        }
        var stream: Bool?
        switch object["stream"] {
        case nil, .null?: stream = nil
        case .bool(let b)?: stream = b
        default: throw Self.invalid("expected a boolean", "$.stream")
        }
        typed = ChatCompletionRequest(model: model, messages: messages, stream: stream)
        raw = object
        if typed.model.isEmpty {
            throw CustosError(.invalidInput, "chat request: model must not be empty", at: SourceLocation(jsonPath: "$.model"))
        }
        if typed.messages.isEmpty {
            throw CustosError(.invalidInput, "chat request: messages must not be empty", at: SourceLocation(jsonPath: "$.messages"))
        }
        for (k, message) in typed.messages.enumerated() where !Self.roles.contains(message.role) {
            throw CustosError(.invalidInput, "chat request: unknown role '\(message.role)'",
                              at: SourceLocation(jsonPath: "$.messages[\(k)].role"))
        }
        for (k, message) in typed.messages.enumerated() {
            guard case .parts(let parts) = message.content else { continue }
            for (j, part) in parts.enumerated() where part.type == "text" && part.text == nil {
                throw CustosError(.invalidInput, "chat request: a text part needs 'text'",
                                  at: SourceLocation(jsonPath: "$.messages[\(k)].content[\(j)].text"))
            }
        }
    }

    private static func invalid(_ message: String, _ path: String) -> CustosError {
        CustosError(.invalidInput, "chat request: \(message)", at: SourceLocation(jsonPath: path))
    }

    private static func string(_ value: JSONValue?, _ path: String, required: Bool) throws -> String? {
        switch value {
        case nil:
            if required { throw invalid("missing required field '\(path.split(separator: ".").last ?? "")'", path) }
            return nil
        case .null?:
            if required { throw invalid("expected a string, found null", path) }
            return nil
        case .string(let s)?: return s
        default: throw invalid("expected a string", path)
        }
    }

    /// The requested model.
    public var model: String { typed.model }
    /// Whether the caller wants a stream.
    public var stream: Bool { typed.stream ?? false }

    /// Every text in the conversation, in order.
    public var texts: [MessageText] {
        var out: [MessageText] = []
        for (k, message) in typed.messages.enumerated() {
            switch message.content {
            case .text(let s): out.append(MessageText(message: k, part: nil, role: message.role, text: s))
            case .parts(let parts):
                for (j, part) in parts.enumerated() {
                    if let text = part.text, part.type == "text" || part.type == "refusal" {
                        out.append(MessageText(message: k, part: j, role: message.role, text: text))
                    }
                }
            case nil: break
            }
        }
        return out
    }

    /// The body to send upstream: the raw request with `replacements` (texts at their locations) written in,
    /// `model` replaced when given, and `stream_options.include_usage` forced on for streams so the gateway
    /// can account tokens.
    public func upstreamBody(replacing replacements: [MessageText] = [], model upstreamModel: String? = nil) throws -> [UInt8] {
        var object = raw
        if !replacements.isEmpty, case .array(var messages) = object["messages"] {
            for replacement in replacements where messages.indices.contains(replacement.message) {
                guard case .object(var message) = messages[replacement.message] else { continue }
                if let part = replacement.part {
                    guard case .array(var parts) = message["content"], parts.indices.contains(part),
                          case .object(var partObject) = parts[part] else { continue }
                    partObject["text"] = .string(replacement.text)
                    parts[part] = .object(partObject)
                    message["content"] = .array(parts)
                } else {
                    message["content"] = .string(replacement.text)
                }
                messages[replacement.message] = .object(message)
            }
            object["messages"] = .array(messages)
        }
        if let upstreamModel { object["model"] = .string(upstreamModel) }
        return try JSONValue.object(object).jsonBytes()
    }
}
