import CustosCore
import Foundation

/// A tamper-evident, append-only log of JSON records: each record's RFC 8785 canonical JSON is a
/// leaf of an RFC 9162 Merkle tree kept in an `AuditStore`, with Ed25519-signed checkpoints.
public struct AuditLog: Sendable {
    /// Where entries live.
    public let store: any AuditStore
    /// The tree over the stored leaf hashes (rebuilt when the log is opened).
    public private(set) var tree: MerkleTree

    /// Opens the log, rebuilding the tree from the stored leaf hashes.
    public init(store: any AuditStore) throws {
        self.store = store
        tree = MerkleTree(leafHashes: try store.leafHashes())
    }

    /// Number of entries.
    public var size: Int { tree.size }

    /// Appends records (each must be a JSON object) in one durable transaction; returns their indices.
    public mutating func append(_ records: [JSONValue]) throws -> Range<Int> {
        var leaves: [[UInt8]] = []
        var hashes: [Hash] = []
        var roots: [Hash] = []
        var staged = tree
        for (k, record) in records.enumerated() {
            guard case .object = record else {
                throw CustosError(.invalidInput, "record \(k + 1) is not a JSON object")
            }
            let leaf = try CanonicalJSON.encode(record)
            let hash = MerkleHash.leaf(leaf)
            staged.append(leafHash: hash)
            leaves.append(leaf)
            hashes.append(hash)
            roots.append(try staged.root())
        }
        let first = try store.append(leaves: leaves, leafHashes: hashes, roots: roots)
        guard first == tree.size else {
            throw CustosError(.internal, "another writer appended to this log (expected index \(tree.size), got \(first)); reopen it")
        }
        tree = staged
        return first..<(first + records.count)
    }

    /// Signs the current tree head, saves the checkpoint and returns the note.
    public func checkpoint(signer: NoteSigner, time: Date = Date()) throws -> String {
        let head = Checkpoint(origin: signer.name, size: size, rootHash: try tree.root(),
                              extensions: ["timestamp \(Int(time.timeIntervalSince1970))"])
        let note = try signer.sign(head)
        try store.saveCheckpoint(size: size, note: note)
        return note
    }

    /// Recomputes everything from the stored leaves and checks every checkpoint signature.
    public func verify(with verifier: NoteVerifier) throws -> VerificationReport {
        let entries = try store.entries()
        var rebuilt = MerkleTree()
        for (k, entry) in entries.enumerated() {
            guard entry.index == k else {
                return .failure(size: entries.count, index: k, "entry \(k) is missing or out of order (found index \(entry.index))")
            }
            let hash = MerkleHash.leaf(entry.leaf)
            guard hash == entry.leafHash else {
                return .failure(size: entries.count, index: k, "entry \(k) was altered: its leaf no longer hashes to the stored leaf hash")
            }
            rebuilt.append(leafHash: hash)
            guard try rebuilt.root() == entry.root else {
                return .failure(size: entries.count, index: k, "the history up to entry \(k) changed: the tree head differs from the one recorded")
            }
        }
        var checked = 0
        var lastGood = 0
        for (size, note) in try store.checkpoints() {
            let checkpoint: Checkpoint
            do {
                checkpoint = try verifier.verify(note, origin: verifier.name)
            } catch let error as CustosError {
                return .failure(size: entries.count, index: nil, "checkpoint at size \(size): \(error.message)")
            }
            guard checkpoint.size == size else {
                return .failure(size: entries.count, index: nil, "checkpoint stored under size \(size) is for size \(checkpoint.size)")
            }
            guard size <= entries.count else {
                return .failure(size: entries.count, index: entries.count,
                                "the log was truncated: a checkpoint covers \(size) entries but only \(entries.count) remain")
            }
            guard try rebuilt.root(size: size) == checkpoint.rootHash else {
                return .failure(size: entries.count, index: lastGood,
                                "entries in \(lastGood)..<\(size) were rewritten: the signed checkpoint at size \(size) does not match")
            }
            lastGood = size
            checked += 1
        }
        return VerificationReport(ok: true, size: entries.count, checkpoints: checked, firstBadIndex: nil, problem: nil)
    }
}

/// What `verify` found.
public struct VerificationReport: Sendable, Codable, Equatable {
    /// Whether everything checked out.
    public var ok: Bool
    /// Entries in the store.
    public var size: Int
    /// Signed checkpoints verified.
    public var checkpoints: Int
    /// The first entry found bad (or the start of the bad range), when known.
    public var firstBadIndex: Int?
    /// What is wrong.
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case ok, size, checkpoints, problem
        case firstBadIndex = "first_bad_index"
    }

    static func failure(size: Int, index: Int?, _ problem: String) -> VerificationReport {
        VerificationReport(ok: false, size: size, checkpoints: 0, firstBadIndex: index, problem: problem)
    }
}
