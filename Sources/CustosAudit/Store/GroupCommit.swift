import CustosCore

/// Coalesces appends from concurrent callers into one transaction (group commit): while one write is in
/// flight, newly arriving appends queue; when it finishes, everything queued is written together. Each
/// caller still gets its own `AppendBatch` (its own first index and tree head, recorded as a head row), but
/// they share one commit and one fsync, which is where a durable append's time goes.
///
/// A caller that finds no write in flight writes its append itself, in its own task: an uncontended append
/// costs no task switch. Appends that queued meanwhile are written by a task it starts on its way out.
actor GroupCommit {
    /// Writes several appends, in order, in one transaction; returns one outcome per append.
    typealias Write = @Sendable ([HashedLeaves]) async throws -> [AppendOutcome]

    private var pending: [(leaves: HashedLeaves, continuation: CheckedContinuation<AppendBatch, any Error>)] = []
    private var writing = false
    private let write: Write

    /// A store's write returned a batch count unlike its appends' (a bug in the store, never expected).
    private static let mismatch = CustosError(.internal, "the audit store's write returned a batch count unlike its appends'")

    init(write: @escaping Write) {
        self.write = write
    }

    /// Appends `leaves` in the next group; returns when that group is committed.
    func append(_ leaves: HashedLeaves) async throws -> AppendBatch {
        guard !writing else {
            return try await withCheckedThrowingContinuation { continuation in
                pending.append((leaves, continuation))
            }
        }
        writing = true
        defer { handOver() }
        let outcomes = try await write([leaves])
        guard outcomes.count == 1 else { throw Self.mismatch }
        return try outcomes[0].get()
    }

    /// After a write: the appends that queued during it are written by a new task, else the commit is idle.
    private func handOver() {
        if pending.isEmpty {
            writing = false
        } else {
            Task { await self.drain() }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = pending
            pending.removeAll()
            do {
                let outcomes = try await write(group.map(\.leaves))
                guard outcomes.count == group.count else { throw Self.mismatch }
                for (request, outcome) in zip(group, outcomes) { request.continuation.resume(with: outcome.mapError { $0 }) }
            } catch {
                // The transaction rolled back as a whole: every append in it failed.
                for request in group { request.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}

/// One append's outcome in a group transaction: its batch, or refused (nothing of it written) because a data key
/// its payloads were sealed under is gone. The other appends of the group are written either way.
typealias AppendOutcome = Result<AppendBatch, ForgottenSubjectKeys>

extension HashedLeaves {
    /// The refusal of these leaves when any key they were sealed under is among `missing`, else `nil`.
    func refusal(missing: Set<String>) -> ForgottenSubjectKeys? {
        let gone = sealedUnder.filter(missing.contains)
        return gone.isEmpty ? nil : ForgottenSubjectKeys(keyIDs: gone)
    }
}
