import CustosCore
import Crypto
import Foundation

/// The secret behind the keyed operators. One 32-byte key is stretched with HKDF-SHA256 into independent
/// subkeys for hashing, encryption and pseudonyms, so a hash never reveals anything about the encryption key.
public struct AnonymizerKey: Sendable, Equatable {
    /// The raw 32 bytes (kept as bytes: swift-crypto's key type is not `Sendable`).
    public let bytes: [UInt8]

    /// Wraps 32 bytes; other lengths are an error.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw CustosError(.invalidInput, "an anonymizer key is 32 bytes (64 hex digits or 44 base64 characters); got \(bytes.count) bytes")
        }
        self.bytes = bytes
    }

    /// A fresh random key.
    public static func generate() -> AnonymizerKey {
        // 32 bytes by construction.
        AnonymizerKey(unchecked: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Reads a key file holding 64 hex digits or base64 of 32 bytes (surrounding whitespace ignored).
    public static func read(file path: String) throws -> AnonymizerKey {
        let text: String
        do {
            text = try FileInput.readText(path, limit: 4096)
        } catch let error as CustosError {
            throw CustosError(error.code, "cannot read the key file: \(error.message)", at: SourceLocation(file: path))
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let bytes = [UInt8](hexString: trimmed) { return try AnonymizerKey(bytes: bytes) }
        if let data = Data(base64Encoded: trimmed), data.count == 32 { return try AnonymizerKey(bytes: Array(data)) }
        throw CustosError(.invalidInput, "the key file must hold 64 hex digits or base64 of 32 bytes",
                          at: SourceLocation(file: path))
    }

    /// The key as 64 lower-case hex digits (the key file format).
    public var hex: String { bytes.hexString }

    func subkey(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: bytes), salt: Array("custos-pii-v1".utf8),
                               info: Array(purpose.utf8), outputByteCount: 32)
    }
}
