import Crypto
import CustosCore
import Foundation

/// Ed25519 signing of checkpoints as C2SP signed notes: the body, a blank line, then one line
/// `— <key name> <base64(key ID ‖ signature)>` per signature. The key ID is the first four bytes of
/// SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), 0x01 naming Ed25519.
public struct NoteSigner: Sendable {
    /// The signer's key name (usually the log origin).
    public let name: String
    // Raw 32-byte seed: swift-crypto's key types are not Sendable.
    private let seed: [UInt8]
    private var key: Curve25519.Signing.PrivateKey {
        get throws {
            do {
                return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            } catch {
                throw CustosError(.internal, "cannot rebuild the Ed25519 signing key: \(error)")
            }
        }
    }

    /// A signer for `name` with an Ed25519 private key.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws {
        try NoteKey.checkName(name)
        self.name = name
        self.seed = Array(privateKey.rawRepresentation)
    }

    /// The matching verifier.
    public var verifier: NoteVerifier {
        get throws { try NoteVerifier(name: name, publicKey: try key.publicKey) }
    }

    /// The signed note for a checkpoint.
    public func sign(_ checkpoint: Checkpoint) throws -> String {
        let body = checkpoint.body
        let key = try self.key
        let signature: Data
        do {
            signature = try key.signature(for: Data(body.utf8))
        } catch {
            throw CustosError(.internal, "Ed25519 signing failed: \(error)")
        }
        let keyID = NoteKey.keyID(name: name, publicKey: Array(key.publicKey.rawRepresentation))
        return body + "\n" + "\u{2014} \(name) " + Data(keyID + Array(signature)).base64EncodedString() + "\n"
    }
}

/// Verifies signed checkpoint notes with only a public key.
public struct NoteVerifier: Sendable {
    /// The key name.
    public let name: String
    /// The raw 32-byte Ed25519 public key.
    public let publicKeyBytes: [UInt8]
    /// The Ed25519 public key.
    public var publicKey: Curve25519.Signing.PublicKey {
        get throws { try Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes) }
    }

    /// A verifier for `name` and `publicKey`.
    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws {
        try NoteKey.checkName(name)
        self.name = name
        self.publicKeyBytes = Array(publicKey.rawRepresentation)
    }

    /// Parses a C2SP verifier key `name+hex(keyID)+base64(0x01 ‖ public key)`.
    public init(verifierKey text: String) throws {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)  // base64 may contain "+"
        guard parts.count == 3, let raw = Data(base64Encoded: parts[2]), raw.count == 33, raw.first == 0x01,
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: Data(raw.dropFirst()))
        else { throw CustosError(.invalidInput, "not an Ed25519 verifier key (name+keyid+base64)") }
        try self.init(name: parts[0], publicKey: publicKey)
        guard NoteKey.keyID(name: name, publicKey: publicKeyBytes).hexString == parts[1] else {
            throw CustosError(.invalidInput, "verifier key ID does not match its name and key")
        }
    }

    /// This key as a C2SP verifier key string.
    public var verifierKey: String {
        "\(name)+\(NoteKey.keyID(name: name, publicKey: publicKeyBytes).hexString)+"
            + Data([0x01] + publicKeyBytes).base64EncodedString()
    }

    /// Checks the note's signature by this key and the origin, then returns the checkpoint.
    /// - Throws: a precise error for a malformed note, another origin, a missing or bad signature.
    public func verify(_ note: String, origin expectedOrigin: String? = nil) throws -> Checkpoint {
        guard let split = note.range(of: "\n\n") else {
            throw CustosError(.invalidInput, "not a signed note: no blank line before the signatures")
        }
        let body = String(note[..<split.lowerBound]) + "\n"
        let checkpoint = try Checkpoint(body: body)
        if let expectedOrigin, checkpoint.origin != expectedOrigin {
            throw CustosError(.invalidInput, "checkpoint is for origin '\(checkpoint.origin)', expected '\(expectedOrigin)'")
        }
        let keyID = NoteKey.keyID(name: name, publicKey: publicKeyBytes)
        let key = try publicKey
        let signatureLines = note[split.upperBound...].split(separator: "\n").map(String.init)
        for line in signatureLines {
            let prefix = "\u{2014} \(name) "
            guard line.hasPrefix(prefix), let blob = Data(base64Encoded: String(line.dropFirst(prefix.count))),
                  blob.count == 4 + 64, Array(blob.prefix(4)) == keyID
            else { continue }
            guard key.isValidSignature(blob.dropFirst(4), for: Data(body.utf8)) else {
                throw CustosError(.invalidInput, "the signature by '\(name)' does not verify: the checkpoint was altered")
            }
            return checkpoint
        }
        throw CustosError(.invalidInput, "no signature by key '\(name)' on this checkpoint")
    }
}

/// Key naming rules and key IDs shared by signer and verifier.
enum NoteKey {
    static func keyID(name: String, publicKey: [UInt8]) -> [UInt8] {
        let material = Array(name.utf8) + [0x0A, 0x01] + publicKey
        return Array(SHA256.hash(data: material).prefix(4))
    }

    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.contains("+"), !name.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
            throw CustosError(.invalidInput, "key name '\(name)' must be non-empty with no spaces or '+'")
        }
    }
}
