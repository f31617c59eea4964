import Crypto
import CustosCore
import Foundation

/// The log's Ed25519 signing key, its public verifier key and its payload master key, kept under
/// `$CUSTOS_HOME/keys` (the master key may come from the `CUSTOS_AUDIT_MASTER_KEY` environment variable instead).
public struct AuditKeys: Sendable {
    /// File holding the origin and the base64 private key seed (mode 0600).
    public static let signingKeyFile = "audit-signing.key"
    /// File holding the C2SP verifier key, safe to publish.
    public static let verifierKeyFile = "audit.vkey"
    /// File holding the base64 AES-256 master key that wraps subject keys (mode 0600).
    public static let masterKeyFile = "audit-master.key"
    /// Environment variable that supplies the master key (base64) instead of the file.
    public static let masterKeyVariable = "CUSTOS_AUDIT_MASTER_KEY"

    /// Signs checkpoints.
    public let signer: NoteSigner
    /// Verifies them.
    public let verifier: NoteVerifier

    /// The log origin (the key name).
    public var origin: String { signer.name }

    /// Creates a new key pair in `directory`; refuses to overwrite existing keys.
    public static func create(in directory: URL, origin: String) throws -> AuditKeys {
        let fm = FileManager.default
        let keyPath = directory.appendingPathComponent(signingKeyFile).path
        let vkeyPath = directory.appendingPathComponent(verifierKeyFile).path
        let masterPath = directory.appendingPathComponent(masterKeyFile).path
        for path in [keyPath, vkeyPath, masterPath] where fm.fileExists(atPath: path) {
            throw CustosError(.usage, "a key already exists; refusing to overwrite it", at: SourceLocation(file: path))
        }
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CustosError(.io, "cannot create the key directory: \(error.localizedDescription)", at: SourceLocation(file: directory.path))
        }
        let key = Curve25519.Signing.PrivateKey()
        let signer = try NoteSigner(name: origin, privateKey: key)
        let verifier = try signer.verifier
        try FileInput.writeAtomically(origin + "\n" + key.rawRepresentation.base64EncodedString() + "\n", to: keyPath)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        try FileInput.writeAtomically(verifier.verifierKey + "\n", to: vkeyPath)
        if ProcessInfo.processInfo.environment[masterKeyVariable] == nil {
            let master = MasterKey.generate()
            try FileInput.writeAtomically(Data(master.bytes).base64EncodedString() + "\n", to: masterPath)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: masterPath)
        }
        return AuditKeys(signer: signer, verifier: verifier)
    }

    /// Loads the key pair from `directory`; a missing or corrupt file is a precise error.
    public static func load(from directory: URL) throws -> AuditKeys {
        let keyPath = directory.appendingPathComponent(signingKeyFile).path
        guard FileManager.default.fileExists(atPath: keyPath) else {
            throw CustosError(.missingAsset, "no audit signing key; run `custos audit init` first", at: SourceLocation(file: keyPath))
        }
        let lines = try FileInput.readText(keyPath, limit: 4096).split(separator: "\n").map(String.init)
        guard lines.count == 2, let seed = Data(base64Encoded: lines[1]), seed.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw CustosError(.invalidInput, "corrupt signing key file (expected an origin line and a base64 32-byte key)",
                              at: SourceLocation(file: keyPath))
        }
        let signer = try NoteSigner(name: lines[0], privateKey: key)
        return AuditKeys(signer: signer, verifier: try signer.verifier)
    }

    /// Loads only the public verifier key (for verifying without the private key).
    public static func loadVerifier(from path: String) throws -> NoteVerifier {
        let text = try FileInput.readText(path, limit: 4096).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try NoteVerifier(verifierKey: text)
        } catch let error as CustosError {
            throw error.inFile(path)
        }
    }

    /// The payload master key: from `CUSTOS_AUDIT_MASTER_KEY` when set, else from the key directory;
    /// `nil` when neither exists (a log without payload encryption, or a verifier's machine).
    public static func loadMasterKey(from directory: URL) throws -> MasterKey? {
        let path = directory.appendingPathComponent(masterKeyFile).path
        let text: String
        let source: SourceLocation
        if let value = ProcessInfo.processInfo.environment[masterKeyVariable] {
            text = value
            source = SourceLocation(file: "$" + masterKeyVariable)
        } else if FileManager.default.fileExists(atPath: path) {
            text = try FileInput.readText(path, limit: 4096)
            source = SourceLocation(file: path)
        } else {
            return nil
        }
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw CustosError(.invalidInput, "corrupt audit master key (expected base64 of 32 bytes)", at: source)
        }
        return try MasterKey(bytes: Array(bytes))
    }
}
