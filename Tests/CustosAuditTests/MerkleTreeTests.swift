import CustosAudit
import CustosCore
import Foundation
import Testing

/// The independent Python vectors (scripts/fixtures/rfc9162_vectors.py; provenance in Tests/Fixtures/README.md).
struct RFC9162Vectors: Decodable {
    struct Root: Decodable { var size: Int; var root: String }
    struct Inclusion: Decodable { var index: Int; var size: Int; var path: [String] }
    struct Consistency: Decodable {
        var from: Int
        var to: Int
        var proof: [String]
    }
    var leaves: [String]
    var roots: [Root]
    var inclusion: [Inclusion]
    var consistency: [Consistency]

    static func load() throws -> RFC9162Vectors {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/audit/rfc9162_vectors.json")
        return try JSONDecoder().decode(RFC9162Vectors.self, from: Data(contentsOf: url))
    }
}

func hashes(_ hex: [String]) -> [Hash] { hex.compactMap { [UInt8](hexString: $0) } }

@Suite("RFC 9162 Merkle tree equals an independent Python computation")
struct MerkleTreeTests {
    static func tree(_ vectors: RFC9162Vectors) -> MerkleTree {
        var tree = MerkleTree()
        for leaf in vectors.leaves { tree.append(leaf: Array(leaf.utf8)) }
        return tree
    }

    @Test("tree heads for sizes 0 to 33, incremental and from scratch")
    func roots() throws {
        let vectors = try RFC9162Vectors.load()
        let tree = Self.tree(vectors)
        #expect(vectors.roots.count == 34)
        for want in vectors.roots {
            #expect(try tree.root(size: want.size).hexString == want.root, "size \(want.size)")
            var prefix = MerkleTree()
            for leaf in vectors.leaves.prefix(want.size) { prefix.append(leaf: Array(leaf.utf8)) }
            #expect(try prefix.root().hexString == want.root)
        }
        // The empty tree's root is SHA-256 of nothing.
        #expect(try MerkleTree().root().hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("the compact frontier gives every reference tree head, survives storage, and a stored batch extends it")
    func frontier() throws {
        let vectors = try RFC9162Vectors.load()
        var frontier = MerkleFrontier()
        #expect(frontier.root().hexString == vectors.roots[0].root)
        for (k, leaf) in vectors.leaves.enumerated() {
            frontier.append(leafHash: MerkleHash.leaf(Array(leaf.utf8)))
            #expect(frontier.root().hexString == vectors.roots[k + 1].root, "size \(k + 1)")
            #expect(frontier.subtrees.count == frontier.size.nonzeroBitCount)
            #expect(try MerkleFrontier(size: frontier.size, serialized: frontier.serialized) == frontier)
        }
        let leaves = vectors.leaves.map { Array($0.utf8) }
        var prefix = MerkleFrontier()
        for leaf in leaves.prefix(11) { prefix.append(leafHash: MerkleHash.leaf(leaf)) }
        let batch = AppendBatch(extending: prefix, with: Array(leaves[11...]))
        #expect(batch.first == 11 && batch.head.size == 33 && batch.head.root.hexString == vectors.roots[33].root)
        #expect(throws: CustosError.self) { try MerkleFrontier(size: 3, serialized: [UInt8](repeating: 0, count: 32)) }
    }

    @Test("inclusion proofs equal the reference and verify; altered ones do not")
    func inclusion() throws {
        let vectors = try RFC9162Vectors.load()
        let tree = Self.tree(vectors)
        for want in vectors.inclusion {
            let proof = try tree.inclusionProof(index: want.index, size: want.size)
            #expect(proof.map(\.hexString) == want.path, "index \(want.index) size \(want.size)")
            let root = try tree.root(size: want.size)
            let leaf = try tree.leafHash(at: want.index)
            #expect(ProofVerification.verifyInclusion(leafHash: leaf, index: want.index, size: want.size, proof: proof, root: root))
            if want.size > 1 {
                let wrongIndex = (want.index + 1) % want.size
                #expect(!ProofVerification.verifyInclusion(leafHash: leaf, index: wrongIndex, size: want.size, proof: proof, root: root))
            }
            if var first = proof.first {
                first[0] ^= 1
                let altered = [first] + proof.dropFirst()
                #expect(!ProofVerification.verifyInclusion(leafHash: leaf, index: want.index, size: want.size, proof: altered, root: root))
            }
        }
    }

    @Test("consistency proofs equal the reference and verify; a rewritten history does not")
    func consistency() throws {
        let vectors = try RFC9162Vectors.load()
        let tree = Self.tree(vectors)
        for want in vectors.consistency {
            let proof = try tree.consistencyProof(from: want.from, to: want.to)
            #expect(proof.map(\.hexString) == want.proof, "\(want.from) → \(want.to)")
            let oldRoot = try tree.root(size: want.from)
            let newRoot = try tree.root(size: want.to)
            #expect(ProofVerification.verifyConsistency(oldSize: want.from, newSize: want.to, oldRoot: oldRoot, newRoot: newRoot, proof: proof))
            // A log that rewrote leaf 0 has a different old root: the proof must fail against it.
            var forged = MerkleTree()
            forged.append(leaf: Array("forged".utf8))
            for leaf in vectors.leaves.dropFirst().prefix(want.from - 1) { forged.append(leaf: Array(leaf.utf8)) }
            #expect(!ProofVerification.verifyConsistency(
                oldSize: want.from, newSize: want.to, oldRoot: try forged.root(), newRoot: newRoot, proof: proof))
        }
    }

    @Test("a leaf hash is not accepted as a node: leaf and node hashes are domain-separated")
    func domainSeparation() {
        let a = MerkleHash.leaf(Array("a".utf8))
        let b = MerkleHash.leaf(Array("b".utf8))
        #expect(MerkleHash.node(a, b) != MerkleHash.leaf(a + b))
    }

    @Test("out-of-range indices and sizes are errors")
    func ranges() throws {
        var tree = MerkleTree()
        tree.append(leaf: [1])
        #expect(throws: CustosError.self) { try tree.inclusionProof(index: 1, size: 1) }
        #expect(throws: CustosError.self) { try tree.root(size: 2) }
        #expect(throws: CustosError.self) { try tree.consistencyProof(from: 2, to: 1) }
    }
}
