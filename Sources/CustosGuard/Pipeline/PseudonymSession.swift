import CustosCore
import CustosPrivacy
import Synchronization

/// Consistent surrogates for a conversation: the `pseudonymize` action replaces personal data with a
/// format-preserving surrogate derived from the key (the same value always gets the same surrogate), remembers
/// the pair in a vault, and `restore` puts the originals back into the model's answer. The vault lives as long
/// as the session (one request at the gateway); the key makes surrogates stable across requests.
public final class PseudonymSession: Sendable {
    private let anonymizer: Anonymizer
    private let key: AnonymizerKey
    private let vault: Mutex<Vault>

    /// A session keyed by `key`.
    public init(key: AnonymizerKey) throws {
        self.key = key
        anonymizer = try Anonymizer(defaultOperator: .pseudonymize, key: key)
        vault = Mutex(Vault())
    }

    /// The surrogate of `original` (an entity of `type`), recorded for `restore`.
    public func surrogate(for original: String, type: String) throws -> String {
        let entity = EntityType(type.uppercased())
        let span = EntitySpan(start: 0, end: original.unicodeScalars.count, type: entity, score: 1, recognizer: "guard")
        return try vault.withLock { vault in
            try anonymizer.anonymize(original, spans: [span], vault: &vault).text
        }
    }

    /// `text` with every surrogate this session made replaced by its original.
    public func restore(_ text: String) throws -> String {
        let snapshot = vault.withLock { $0 }
        guard !snapshot.entries.isEmpty else { return text }
        return try Restorer(vault: snapshot, key: key).restore(text)
    }

    /// The longest surrogate made so far, in Unicode scalars (a streamed answer holds back at least this much so
    /// a surrogate split across chunks is still restored).
    public var longestSurrogate: Int {
        vault.withLock { $0.entries.map { $0.surrogate.unicodeScalars.count }.max() ?? 0 }
    }

    /// The surrogates made so far.
    public var surrogates: [String] { vault.withLock { $0.entries.map(\.surrogate) } }

    /// How many distinct values were pseudonymized.
    public var count: Int { vault.withLock { $0.entries.count } }
}
