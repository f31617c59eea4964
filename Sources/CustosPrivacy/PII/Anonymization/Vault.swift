import CustosCore
import Crypto
import Foundation

/// The surrogate ↔ original table behind `pseudonymize`: the gateway pseudonymizes a prompt, sends it upstream,
/// and restores the originals in the model's answer with the same vault.
///
/// A vault holds personal data, so on disk it is sealed with AES-256-GCM under the anonymizer key's `vault`
/// subkey (`save(to:key:)`), and written atomically.
public struct Vault: Sendable, Equatable, Codable {
    /// One recorded substitution.
    public struct Entry: Sendable, Equatable, Codable {
        /// The entity type.
        public var type: EntityType
        /// The original text.
        public var original: String
        /// The surrogate that replaced it.
        public var surrogate: String
    }

    /// Every substitution, in the order first seen.
    public private(set) var entries: [Entry] = []
    private var byOriginal: [String: Int] = [:]
    private var bySurrogate: [String: Int] = [:]

    /// An empty vault.
    public init() {}

    enum CodingKeys: String, CodingKey { case entries }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        for entry in try c.decode([Entry].self, forKey: .entries) { record(entry) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries)
    }

    static func originalKey(_ type: EntityType, _ original: String) -> String { type.rawValue + "\u{0}" + original }

    /// The surrogate already given to this value, if any.
    public func surrogate(for original: String, type: EntityType) -> String? {
        byOriginal[Self.originalKey(type, original)].map { entries[$0].surrogate }
    }

    /// The original behind a surrogate, if any.
    public func original(for surrogate: String) -> String? { bySurrogate[surrogate].map { entries[$0].original } }

    /// Whether a text is already in use as a surrogate.
    public func isSurrogate(_ text: String) -> Bool { bySurrogate[text] != nil }

    mutating func record(_ entry: Entry) {
        byOriginal[Self.originalKey(entry.type, entry.original)] = entries.count
        bySurrogate[entry.surrogate] = entries.count
        entries.append(entry)
    }

    /// Seals the vault and writes it atomically.
    public func save(to path: String, key: AnonymizerKey) throws {
        let plain = try JSONEncoder().encode(self)
        let sealed = try AES.GCM.seal(plain, using: key.subkey("vault"), authenticating: Array("custos-vault-v1".utf8))
        guard let combined = sealed.combined else { throw CustosError(.internal, "AES-GCM produced no combined box") }
        let file = "{\"format\":\"custos-pii-vault\",\"version\":1,\"sealed\":\"\(combined.base64EncodedString())\"}\n"
        try FileInput.writeAtomically(file, to: path)
    }

    /// Reads and opens a sealed vault; a wrong key or a modified file is an error.
    public static func load(from path: String, key: AnonymizerKey) throws -> Vault {
        struct File: Decodable { var format: String; var version: Int; var sealed: String }
        let bytes = try FileInput.readBytes(path, limit: 1 << 30)
        guard let file = try? JSONDecoder().decode(File.self, from: Data(bytes)), file.format == "custos-pii-vault",
              file.version == 1, let combined = Data(base64Encoded: file.sealed) else {
            throw CustosError(.invalidInput, "not a Custos PII vault (version 1)", at: SourceLocation(file: path))
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: key.subkey("vault"), authenticating: Array("custos-vault-v1".utf8))
            return try JSONDecoder().decode(Vault.self, from: plain)
        } catch {
            throw CustosError(.invalidInput, "the vault does not open with this key (wrong key, or the file was modified)",
                              at: SourceLocation(file: path))
        }
    }
}
