import CustosCore
import Foundation

extension AuditLog {
    /// Recomputes everything from the stored leaves — leaf hashes, the tree head after every append,
    /// the stored tree state — and checks every checkpoint's signature and root. Reads the store in pages,
    /// so memory stays bounded for any log size. The first problem found is reported with its index.
    ///
    /// A live log (a gateway appending while this runs) is verified as of the stored tree state read first: heads,
    /// checkpoints and entries appended after that moment are left for the next run, so a concurrent append is
    /// never mistaken for tampering. Entries beyond the tree state while that state has not moved are reported.
    public func verify(with verifier: NoteVerifier, pageSize: Int = 50_000) async throws -> VerificationReport {
        let state = try await store.frontier()
        let target = state.size
        let heads = try await store.heads().filter { $0.size <= target }
        var checkpoints: [(size: Int, checkpoint: Checkpoint)] = []
        for stored in try await store.checkpoints() where stored.size <= target {
            do {
                let checkpoint = try verifier.verify(stored.note, origin: verifier.name)
                guard checkpoint.size == stored.size else {
                    return .failure(size: nil, index: nil, "checkpoint stored under size \(stored.size) is for size \(checkpoint.size)")
                }
                checkpoints.append((stored.size, checkpoint))
            } catch let error as CustosError {
                return .failure(size: nil, index: nil, "checkpoint at size \(stored.size): \(error.message)")
            }
        }
        var rebuilt = MerkleFrontier()
        var nextHead = 0
        var nextCheckpoint = 0
        var lastGoodHead = 0
        var lastGoodCheckpoint = 0
        var start = 0
        while nextCheckpoint < checkpoints.count && checkpoints[nextCheckpoint].size == 0 {
            guard checkpoints[nextCheckpoint].checkpoint.rootHash == MerkleHash.empty else {
                return .failure(size: nil, index: 0, "the signed checkpoint at size 0 does not have the empty tree's root")
            }
            nextCheckpoint += 1
        }
        while start < target {
            let page = try await store.entries(from: start, limit: min(pageSize, target - start))
            for entry in page {
                let k = rebuilt.size
                guard entry.index == k else {
                    return .failure(size: nil, index: k, "entry \(k) is missing or out of order (found index \(entry.index))")
                }
                let hash = MerkleHash.leaf(entry.leaf)
                guard hash == entry.leafHash else {
                    return .failure(size: nil, index: k, "entry \(k) was altered: its leaf no longer hashes to the stored leaf hash")
                }
                rebuilt.append(leafHash: hash)
                let size = rebuilt.size
                while nextHead < heads.count && heads[nextHead].size <= size {
                    let head = heads[nextHead]
                    guard head.size == size, head.root == rebuilt.root() else {
                        return .failure(size: nil, index: lastGoodHead,
                                        "the history in \(lastGoodHead)..<\(head.size) changed: the tree head recorded at size \(head.size) differs")
                    }
                    lastGoodHead = size
                    nextHead += 1
                }
                while nextCheckpoint < checkpoints.count && checkpoints[nextCheckpoint].size <= size {
                    let (checkpointSize, checkpoint) = checkpoints[nextCheckpoint]
                    guard checkpointSize == size, checkpoint.rootHash == rebuilt.root() else {
                        return .failure(size: nil, index: lastGoodCheckpoint,
                                        "entries in \(lastGoodCheckpoint)..<\(checkpointSize) were rewritten: the signed checkpoint at size \(checkpointSize) does not match")
                    }
                    lastGoodCheckpoint = checkpointSize
                    nextCheckpoint += 1
                }
            }
            guard page.count == min(pageSize, target - start), let last = page.last else { break }
            start = last.index + 1
        }
        let count = rebuilt.size
        if let missing = checkpoints.dropFirst(nextCheckpoint).first {
            return .failure(size: count, index: count,
                            "the log was truncated: a signed checkpoint covers \(missing.size) entries but only \(count) remain")
        }
        if nextHead < heads.count {
            return .failure(size: count, index: count,
                            "the log was truncated: a tree head was recorded at size \(heads[nextHead].size) but only \(count) entries remain")
        }
        guard state == rebuilt else {
            return .failure(size: count, index: min(state.size, count),
                            "the stored tree state (size \(state.size)) disagrees with the \(count) stored entries")
        }
        // Rows past the tree state are only legitimate if an append moved the state meanwhile. The row is read
        // before the state: an append commits its rows and the state together, so a row of a concurrent append
        // is always seen with the state it moved (read the other way round, an append committing between the
        // two reads looked like tampering).
        if let extra = try await store.entries(from: target, limit: 1).first, try await store.frontier().size == target {
            return .failure(size: count, index: target,
                            "entry \(extra.index) lies beyond the stored tree state (size \(target)): it was not appended through the log")
        }
        return VerificationReport(ok: true, size: count, checkpoints: checkpoints.count, firstBadIndex: nil, problem: nil)
    }
}

/// What `verify` found.
public struct VerificationReport: Sendable, Codable, Equatable {
    /// Whether everything checked out.
    public var ok: Bool
    /// Entries read from the store (up to the problem, when one was found first).
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

    static func failure(size: Int?, index: Int?, _ problem: String) -> VerificationReport {
        VerificationReport(ok: false, size: size ?? 0, checkpoints: 0, firstBadIndex: index, problem: problem)
    }
}
