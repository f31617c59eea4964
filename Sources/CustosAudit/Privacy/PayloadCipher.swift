import Crypto
import CustosCore
import Foundation

/// The log's master key (AES-256), which wraps every subject's data key. It never touches a payload.
public struct MasterKey: Sendable {
    /// The 32 key bytes (kept as bytes: swift-crypto's key type is not `Sendable`).
    let bytes: [UInt8]

    /// A key from its 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw CustosError(.invalidInput, "an audit master key is 32 bytes (AES-256), got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A new random key.
    public static func generate() -> MasterKey {
        MasterKey(unchecked: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// A public fingerprint, recorded with each wrapped key so a rotated master key can be told apart:
    /// the first 8 bytes of SHA-256("custos audit master key" ‖ key), in hex.
    public var id: String {
        Array(SHA256.hash(data: Array("custos audit master key".utf8) + bytes).prefix(8)).hexString
    }

    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }
}

/// Envelope encryption of record payloads: each subject gets a random AES-256 data key, stored only
/// wrapped (AES-GCM) under the master key; a payload is sealed with AES-256-GCM under its subject's key,
/// with the key id as additional data. The leaf commits to the sealed payload, so destroying a subject's
/// key (crypto-shredding) makes its payloads unreadable while every hash and proof still verifies.
public struct PayloadCipher: Sendable {
    /// Algorithm name recorded in sealed payloads.
    public static let algorithm = "A256GCM"

    /// The wrapping key.
    public let master: MasterKey

    /// A cipher under `master`.
    public init(master: MasterKey) { self.master = master }

    /// A new random data key, wrapped; the key id is random too, so it says nothing about the subject.
    public func newSubjectKey() throws -> WrappedKey {
        let keyID = UUID().uuidString.lowercased()
        let dataKey = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let wrapped = try seal(dataKey, key: master.symmetricKey, context: "wrap:" + keyID)
        return WrappedKey(keyID: keyID, masterKeyID: master.id, wrapped: wrapped)
    }

    /// Unwraps a data key; a key wrapped under another master key is a precise error.
    func unwrap(_ key: WrappedKey) throws -> SymmetricKey {
        SymmetricKey(data: try unwrapped(key).bytes)
    }

    /// Unwraps a data key for sealing many payloads: `AuditLog` keeps it in its `SubjectKeyCache`, so an append
    /// does not unwrap (an AES-GCM open under the master key) every time.
    func unwrapped(_ key: WrappedKey) throws -> DataKey {
        guard key.masterKeyID == master.id else {
            throw CustosError(.invalidInput, "data key \(key.keyID) was wrapped by master key \(key.masterKeyID), not by this one (\(master.id))")
        }
        let bytes = try open(key.wrapped, key: master.symmetricKey, context: "wrap:" + key.keyID, what: "data key \(key.keyID)")
        return DataKey(keyID: key.keyID, bytes: bytes)
    }

    /// The sealed form of `payload`: `{"alg", "key_id", "ciphertext": base64(nonce ‖ ciphertext ‖ tag)}`.
    public func seal(_ payload: JSONValue, with key: WrappedKey) throws -> JSONValue {
        try seal(payload, with: unwrapped(key))
    }

    /// The sealed form of `payload` under an unwrapped data key.
    func seal(_ payload: JSONValue, with key: DataKey) throws -> JSONValue {
        let plaintext = try CanonicalJSON.encode(payload)
        let sealed = try seal(plaintext, key: SymmetricKey(data: key.bytes), context: "payload:" + key.keyID)
        return .object([
            "alg": .string(Self.algorithm), "key_id": .string(key.keyID),
            "ciphertext": .string(Data(sealed).base64EncodedString()),
        ])
    }

    /// The key id of a sealed payload, or `nil` when `value` is not one.
    public static func keyID(ofSealed value: JSONValue) -> String? {
        guard case .object(let fields) = value, fields["alg"] == .string(algorithm),
              case .string(let id)? = fields["key_id"], case .string? = fields["ciphertext"]
        else { return nil }
        return id
    }

    /// Opens a sealed payload with its (unwrapped) data key.
    public func open(_ sealed: JSONValue, with key: WrappedKey) throws -> JSONValue {
        guard case .object(let fields) = sealed, case .string(let text)? = fields["ciphertext"],
              let bytes = Data(base64Encoded: text)
        else { throw CustosError(.invalidInput, "not a sealed payload") }
        let plaintext = try open(Array(bytes), key: try unwrap(key), context: "payload:" + key.keyID, what: "payload sealed with key \(key.keyID)")
        return try JSONValue.parse(plaintext)
    }

    private func seal(_ plaintext: [UInt8], key: SymmetricKey, context: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
            guard let combined = box.combined else { throw CustosError(.internal, "AES-GCM produced no combined form") }
            return Array(combined)
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.internal, "AES-GCM sealing failed: \(error)")
        }
    }

    private func open(_ combined: [UInt8], key: SymmetricKey, context: String, what: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw CustosError(.invalidInput, "cannot decrypt \(what): wrong key or altered ciphertext")
        }
    }
}

/// A subject's data key in the clear, with its id (bytes: swift-crypto's key type is not `Sendable`). Lives only
/// in this process's memory, next to the master key that unwraps it anyway.
struct DataKey: Sendable {
    /// The key's id, recorded in each payload sealed with it.
    let keyID: String
    /// The 32 key bytes.
    let bytes: [UInt8]
}
