/// What replaces a span of one entity type (Presidio's operators; kept apart from the recognizers).
public enum AnonymizationOperator: Sendable, Equatable, Codable {
    /// Leave the text as it is.
    case keep
    /// Remove the text.
    case redact
    /// Replace with a fixed text; nil means the tag `<TYPE>`.
    case replace(with: String?)
    /// Replace letters and digits with `character`, leaving the last `keep` of them (or the first, when
    /// `fromEnd` is false) and all punctuation visible: `**** **** **** 2980`.
    case mask(character: Character, keep: Int, fromEnd: Bool)
    /// HMAC-SHA256 of the text under the key's hash subkey, 64 hex digits: the same value gives the same hash.
    case hash
    /// AES-256-GCM under the key's encryption subkey, as `[ENC:TYPE:base64url]`; reversible with the key.
    case encrypt
    /// A consistent, format-preserving surrogate recorded in the `Vault`: the same value gets the same surrogate
    /// under one key, and `restore` puts the original back.
    case pseudonymize

    /// Parses `redact`, `replace`, `replace:TEXT`, `mask`, `mask:N`, `mask:N:C`, `hash`, `encrypt`,
    /// `pseudonymize`, `keep`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch parts[0].lowercased() {
        case "keep": self = .keep
        case "redact": self = .redact
        case "replace": self = .replace(with: parts.count > 1 ? parts[1...].joined(separator: ":") : nil)
        case "mask":
            let keep = parts.count > 1 ? Int(parts[1]) : 4
            guard let keep, keep >= 0 else {
                throw CustosError(.usage, "mask takes a count of characters to keep, e.g. mask:4 (got '\(text)')")
            }
            let character = parts.count > 2 ? parts[2].first ?? "*" : "*"
            self = .mask(character: character, keep: keep, fromEnd: true)
        case "hash": self = .hash
        case "encrypt": self = .encrypt
        case "pseudonymize", "pseudonymise": self = .pseudonymize
        default:
            throw CustosError(.usage, "unknown operator '\(parts[0])' (known: keep, redact, replace[:TEXT], mask[:N[:C]], hash, encrypt, pseudonymize)")
        }
    }

    /// Whether the operator needs a key.
    public var needsKey: Bool {
        switch self {
        case .hash, .encrypt, .pseudonymize: return true
        default: return false
        }
    }

    /// Whether `restore` can undo it.
    public var isReversible: Bool { self == .encrypt || self == .pseudonymize || self == .keep }

    enum CodingKeys: String, CodingKey { case op, with, character, keep, fromEnd = "from_end" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let op = try c.decode(String.self, forKey: .op)
        switch op {
        case "mask":
            let character = try c.decodeIfPresent(String.self, forKey: .character)?.first ?? "*"
            self = .mask(character: character, keep: try c.decodeIfPresent(Int.self, forKey: .keep) ?? 4,
                         fromEnd: try c.decodeIfPresent(Bool.self, forKey: .fromEnd) ?? true)
        case "replace": self = .replace(with: try c.decodeIfPresent(String.self, forKey: .with))
        default: self = try AnonymizationOperator(parsing: op)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .keep: try c.encode("keep", forKey: .op)
        case .redact: try c.encode("redact", forKey: .op)
        case .replace(let with):
            try c.encode("replace", forKey: .op)
            try c.encodeIfPresent(with, forKey: .with)
        case .mask(let character, let keep, let fromEnd):
            try c.encode("mask", forKey: .op)
            try c.encode(String(character), forKey: .character)
            try c.encode(keep, forKey: .keep)
            try c.encode(fromEnd, forKey: .fromEnd)
        case .hash: try c.encode("hash", forKey: .op)
        case .encrypt: try c.encode("encrypt", forKey: .op)
        case .pseudonymize: try c.encode("pseudonymize", forKey: .op)
        }
    }
}

import CustosCore
