import CustosCore
import Crypto
import Foundation

/// One replaced span in the anonymized text.
public struct AnonymizedItem: Sendable, Equatable, Codable {
    /// Start in the output text (Unicode scalars).
    public var start: Int
    /// End in the output text (exclusive).
    public var end: Int
    /// The entity type.
    public var type: EntityType
    /// The operator's name.
    public var `operator`: String
}

/// The output of `Anonymizer.anonymize`.
public struct AnonymizedText: Sendable, Equatable {
    /// The text with every span replaced.
    public var text: String
    /// Where the replacements are in `text`, in order.
    public var items: [AnonymizedItem]
}

/// Applies an operator per entity type to the spans the analyzer found (Presidio's anonymizer engine).
public struct Anonymizer: Sendable {
    /// Operator per type; types not listed get `defaultOperator`.
    public var operators: [EntityType: AnonymizationOperator]
    /// The operator for types not in `operators` (default: replace with `<TYPE>`).
    public var defaultOperator: AnonymizationOperator
    /// The key of the keyed operators (hash, encrypt, pseudonymize).
    public var key: AnonymizerKey?

    /// Creates an anonymizer; an operator that needs a key without one is an error.
    public init(
        operators: [EntityType: AnonymizationOperator] = [:], defaultOperator: AnonymizationOperator = .replace(with: nil),
        key: AnonymizerKey? = nil
    ) throws {
        self.operators = operators
        self.defaultOperator = defaultOperator
        self.key = key
        if key == nil, let keyed = ([defaultOperator] + operators.values).first(where: \.needsKey) {
            throw CustosError(.usage, "operator \(Self.name(keyed)) needs a key (--key-file)")
        }
    }

    /// The operator applied to a type.
    public func `operator`(for type: EntityType) -> AnonymizationOperator { operators[type] ?? defaultOperator }

    /// Replaces the spans (which must not overlap, as the analyzer returns them) in one pass.
    public func anonymize(_ text: String, spans: [EntitySpan], vault: inout Vault) throws -> AnonymizedText {
        try anonymize(ScalarText(text), spans: spans, vault: &vault)
    }

    /// Replaces the spans in text already split into scalars.
    public func anonymize(_ text: ScalarText, spans: [EntitySpan], vault: inout Vault) throws -> AnonymizedText {
        let sorted = spans.sorted { $0.start < $1.start }
        var out = String.UnicodeScalarView()
        var items: [AnonymizedItem] = []
        var outCount = 0
        var cursor = 0
        for span in sorted {
            guard span.start >= cursor, span.end <= text.count, span.start <= span.end else {
                throw CustosError(.invalidInput, "spans overlap or lie outside the text (\(span.start)..<\(span.end))")
            }
            out.append(contentsOf: text.scalars[cursor..<span.start])
            outCount += span.start - cursor
            let op = self.operator(for: span.type)
            let original = text.string(span.range)
            let replacement = try apply(op, to: original, type: span.type, vault: &vault)
            let n = replacement.unicodeScalars.count
            out.append(contentsOf: replacement.unicodeScalars)
            items.append(AnonymizedItem(start: outCount, end: outCount + n, type: span.type, operator: Self.name(op)))
            outCount += n
            cursor = span.end
        }
        out.append(contentsOf: text.scalars[cursor...])
        return AnonymizedText(text: String(out), items: items)
    }

    func apply(_ op: AnonymizationOperator, to original: String, type: EntityType, vault: inout Vault) throws -> String {
        switch op {
        case .keep:
            return original
        case .redact:
            return ""
        case .replace(let with):
            return with ?? "<\(type.rawValue)>"
        case .mask(let character, let keep, let fromEnd):
            var scalars = Array(original.unicodeScalars)
            let maskable = scalars.indices.filter { Scalars.isWordChar(scalars[$0].value) }
            let hidden = fromEnd ? maskable.dropLast(keep) : maskable.dropFirst(keep)
            for k in hidden { scalars[k] = character.unicodeScalars.first ?? "*" }
            return String(String.UnicodeScalarView(scalars))
        case .hash:
            let key = try requireKey(op)
            let mac = HMAC<SHA256>.authenticationCode(for: Array(original.utf8), using: key.subkey("hash"))
            return Array(mac).hexString
        case .encrypt:
            let key = try requireKey(op)
            let sealed = try AES.GCM.seal(Array(original.utf8), using: key.subkey("encrypt"),
                                          authenticating: Array(type.rawValue.utf8))
            guard let combined = sealed.combined else { throw CustosError(.internal, "AES-GCM produced no combined box") }
            return "[ENC:\(type.rawValue):\(Base64URL.encode(Array(combined)))]"
        case .pseudonymize:
            let key = try requireKey(op)
            if let existing = vault.surrogate(for: original, type: type) { return existing }
            let generator = SurrogateGenerator(key: key)
            for attempt in 0..<64 {
                let candidate = generator.surrogate(for: original, type: type, attempt: attempt)
                if candidate != original, !vault.isSurrogate(candidate), !candidate.isEmpty {
                    vault.record(Vault.Entry(type: type, original: original, surrogate: candidate))
                    return candidate
                }
            }
            throw CustosError(.internal, "no unused surrogate for a \(type.rawValue) value after 64 attempts")
        }
    }

    func requireKey(_ op: AnonymizationOperator) throws -> AnonymizerKey {
        guard let key else { throw CustosError(.usage, "operator \(Self.name(op)) needs a key (--key-file)") }
        return key
    }

    static func name(_ op: AnonymizationOperator) -> String {
        switch op {
        case .keep: return "keep"
        case .redact: return "redact"
        case .replace: return "replace"
        case .mask: return "mask"
        case .hash: return "hash"
        case .encrypt: return "encrypt"
        case .pseudonymize: return "pseudonymize"
        }
    }
}

/// Undoes the reversible operators: surrogates from a vault go back to their originals, and
/// `[ENC:TYPE:…]` tokens are decrypted with the key.
public struct Restorer: Sendable {
    /// The vault of `pseudonymize`.
    public var vault: Vault
    /// The key of `encrypt` (needed only when the text holds encrypted tokens).
    public var key: AnonymizerKey?

    /// Creates a restorer.
    public init(vault: Vault = Vault(), key: AnonymizerKey? = nil) {
        self.vault = vault
        self.key = key
    }

    /// The text with every surrogate and encrypted token replaced by its original; scanning is left to right,
    /// longest surrogate first, so no replacement is ever rescanned.
    public func restore(_ text: String) throws -> String {
        let v = Array(text.unicodeScalars)
        var byFirst: [UInt32: [(surrogate: [Unicode.Scalar], original: String)]] = [:]
        for entry in vault.entries {
            let s = Array(entry.surrogate.unicodeScalars)
            guard let first = s.first else { continue }
            byFirst[first.value, default: []].append((s, entry.original))
        }
        for k in byFirst.keys { byFirst[k]?.sort { $0.surrogate.count > $1.surrogate.count } }
        let encPrefix = Array("[ENC:".unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        outer: while i < v.count {
            if let candidates = byFirst[v[i].value] {
                for (s, original) in candidates where i + s.count <= v.count && v[i..<(i + s.count)].elementsEqual(s) {
                    out.append(contentsOf: original.unicodeScalars)
                    i += s.count
                    continue outer
                }
            }
            if v[i] == "[", i + encPrefix.count <= v.count, v[i..<(i + encPrefix.count)].elementsEqual(encPrefix),
               let close = v[i...].firstIndex(of: "]") {
                let token = String(String.UnicodeScalarView(v[(i + encPrefix.count)..<close]))
                out.append(contentsOf: try decrypt(token, at: i).unicodeScalars)
                i = close + 1
                continue
            }
            out.append(v[i])
            i += 1
        }
        return String(out)
    }

    func decrypt(_ token: String, at offset: Int) throws -> String {
        guard let key else { throw CustosError(.usage, "the text holds encrypted values; restoring them needs --key-file") }
        let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let combined = Base64URL.decode(parts[1]) else {
            throw CustosError(.invalidInput, "malformed encrypted token at character \(offset)")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: key.subkey("encrypt"), authenticating: Array(parts[0].utf8))
            guard let text = String(bytes: plain, encoding: .utf8) else { throw CustosError(.invalidInput, "") }
            return text
        } catch {
            throw CustosError(.invalidInput, "the encrypted token at character \(offset) does not open with this key")
        }
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}
