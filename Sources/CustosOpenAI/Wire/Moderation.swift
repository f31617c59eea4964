import CustosCore

/// `POST /v1/moderations`: `input` is a string, an array of strings, or an array of typed parts (`text` parts are
/// moderated; `image_url` parts are refused by the gateway, which has no image model).
public struct ModerationRequest: Sendable, Decodable {
    /// The model asked for (optional).
    public var model: String?
    /// What to moderate.
    public var input: ModerationInput
}

/// The `input` of a moderation request.
public enum ModerationInput: Sendable, Decodable {
    /// One or several strings.
    case strings([String])
    /// Typed parts.
    case parts([ContentPart])

    /// Decodes a string, an array of strings or an array of parts.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .strings([s]); return }
        if let a = try? c.decode([String].self) { self = .strings(a); return }
        if (try? c.decode([JSONValue].self)) != nil {
            self = .parts(try c.decode([ContentPart].self))
            return
        }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string, an array of strings or an array of parts"))
    }
}

/// OpenAI's moderation response, with Custos' own detail per result.
public struct ModerationResponse: Sendable, Codable {
    /// One result per input.
    public struct Result: Sendable, Codable {
        /// Whether any category is flagged.
        public var flagged: Bool
        /// Category → flagged.
        public var categories: [String: Bool]
        /// Category → score in [0, 1].
        public var categoryScores: [String: Double]
        /// Category → input types it applies to (always `["text"]` here).
        public var categoryAppliedInputTypes: [String: [String]]
        /// Custos' decision for this input (scanners, spans, action), as a JSON value.
        public var custos: JSONValue

        /// A result.
        public init(flagged: Bool, categories: [String: Bool], categoryScores: [String: Double],
                    categoryAppliedInputTypes: [String: [String]], custos: JSONValue) {
            self.flagged = flagged
            self.categories = categories
            self.categoryScores = categoryScores
            self.categoryAppliedInputTypes = categoryAppliedInputTypes
            self.custos = custos
        }

        enum CodingKeys: String, CodingKey {
            case flagged, categories, custos
            case categoryScores = "category_scores"
            case categoryAppliedInputTypes = "category_applied_input_types"
        }
    }

    /// `modr-…`.
    public var id: String
    /// The model that answered.
    public var model: String
    /// One per input.
    public var results: [Result]

    /// A response.
    public init(id: String, model: String, results: [Result]) {
        self.id = id
        self.model = model
        self.results = results
    }

    /// The response as a JSON value (what `JSONValue.jsonBytes()` writes without going through `JSONEncoder`).
    public var json: JSONValue {
        .object([
            "id": .string(id), "model": .string(model),
            "results": .array(results.map { result in
                .object([
                    "flagged": .bool(result.flagged),
                    "categories": .object(result.categories.mapValues(JSONValue.bool)),
                    "category_scores": .object(result.categoryScores.mapValues(JSONValue.number)),
                    "category_applied_input_types": .object(result.categoryAppliedInputTypes.mapValues { .array($0.map(JSONValue.string)) }),
                    "custos": result.custos,
                ])
            }),
        ])
    }
}

/// `POST /v1/embeddings`.
public struct EmbeddingRequest: Sendable, Decodable {
    /// The model.
    public var model: String
    /// Texts (token-id input is not accepted: the caller's tokenizer is not ours).
    public var input: StringOrArray
    /// `float` (default) or `base64` (little-endian float32).
    public var encodingFormat: String?
    /// Requested dimensions (only the model's own is accepted).
    public var dimensions: Int?

    enum CodingKeys: String, CodingKey {
        case model, input, dimensions
        case encodingFormat = "encoding_format"
    }
}

/// OpenAI's embedding response.
public struct EmbeddingResponse: Sendable, Codable {
    /// One vector.
    public struct Item: Sendable, Codable {
        /// Always `embedding`.
        public var object = "embedding"
        /// Position in the input.
        public var index: Int
        /// The vector: an array of floats, or a base64 string of little-endian float32.
        public var embedding: JSONValue

        /// An item.
        public init(index: Int, embedding: JSONValue) {
            self.index = index
            self.embedding = embedding
        }
    }

    /// Token counts.
    public struct Usage: Sendable, Codable {
        /// Tokens read.
        public var promptTokens: Int
        /// Same as `promptTokens`.
        public var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    /// Always `list`.
    public var object = "list"
    /// The vectors.
    public var data: [Item]
    /// The model.
    public var model: String
    /// Token counts.
    public var usage: Usage

    /// A response.
    public init(data: [Item], model: String, promptTokens: Int) {
        self.data = data
        self.model = model
        usage = Usage(promptTokens: promptTokens, totalTokens: promptTokens)
    }
}
