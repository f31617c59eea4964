import Crypto
import CustosAudit
import CustosCore
import Foundation
import Testing

@Suite("Signed checkpoints (C2SP signed notes, Ed25519)")
struct CheckpointTests {
    let key = Curve25519.Signing.PrivateKey()

    func signedNote(size: Int = 3) throws -> (String, NoteSigner) {
        var tree = MerkleTree()
        for i in 0..<size { tree.append(leaf: Array("leaf-\(i)".utf8)) }
        let signer = try NoteSigner(name: "custos.test/audit", privateKey: key)
        let checkpoint = Checkpoint(origin: "custos.test/audit", size: size, rootHash: try tree.root(), extensions: ["timestamp 1764000000"])
        return (try signer.sign(checkpoint), signer)
    }

    @Test("the note has origin, size and base64 root lines, a blank line and a signature line")
    func format() throws {
        let (note, _) = try signedNote()
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "custos.test/audit")
        #expect(lines[1] == "3")
        #expect(Data(base64Encoded: String(lines[2]))?.count == 32)
        #expect(lines[3] == "timestamp 1764000000")
        #expect(lines[4] == "")
        #expect(lines[5].hasPrefix("\u{2014} custos.test/audit "))
    }

    @Test("a verifier with only the public key accepts the note and recovers the checkpoint")
    func verify() throws {
        let (note, signer) = try signedNote(size: 5)
        let verifier = try NoteVerifier(verifierKey: try signer.verifier.verifierKey)
        let checkpoint = try verifier.verify(note, origin: "custos.test/audit")
        #expect(checkpoint.size == 5)
    }

    @Test("an altered size, a replaced root, another key or another origin are refused")
    func tampering() throws {
        let (note, signer) = try signedNote(size: 5)
        let verifier = try signer.verifier
        let biggerSize = note.replacingOccurrences(of: "\n5\n", with: "\n6\n")
        #expect(throws: CustosError.self) { try verifier.verify(biggerSize) }
        let other = try NoteVerifier(name: "custos.test/audit", publicKey: Curve25519.Signing.PrivateKey().publicKey)
        #expect(throws: CustosError.self) { try other.verify(note) }
        #expect(throws: CustosError.self) { try verifier.verify(note, origin: "another.log") }
        let (otherNote, _) = try signedNote(size: 4)
        let spliced = String(otherNote.prefix(while: { $0 != "\u{2014}" })) + String(note.drop(while: { $0 != "\u{2014}" }))
        #expect(throws: CustosError.self) { try verifier.verify(spliced) }
    }

    @Test("verifier keys round-trip for many random keys (base64 may contain '+')")
    func verifierKeys() throws {
        for _ in 0..<200 {
            let signer = try NoteSigner(name: "log", privateKey: Curve25519.Signing.PrivateKey())
            let text = try signer.verifier.verifierKey
            #expect(try NoteVerifier(verifierKey: text).publicKeyBytes == signer.verifier.publicKeyBytes)
        }
    }

    @Test("malformed bodies name the bad line")
    func malformed() throws {
        let error = try #require(throws: CustosError.self) { try Checkpoint(body: "origin\nten\nAAAA\n") }
        #expect(error.location?.line == 2)
    }
}
