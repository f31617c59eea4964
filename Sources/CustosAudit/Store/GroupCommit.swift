/// Coalesces appends from concurrent callers into one transaction (group commit): while one write is in
/// flight, newly arriving appends queue; when it finishes, everything queued is written together. Each
/// caller still gets its own `AppendBatch` (its own first index and tree head, recorded as a head row), but
/// they share one commit and one fsync, which is where a durable append's time goes.
actor GroupCommit {
    /// Writes several appends, in order, in one transaction; returns one batch per append.
    typealias Write = @Sendable ([HashedLeaves]) async throws -> [AppendBatch]

    private var pending: [(leaves: HashedLeaves, continuation: CheckedContinuation<AppendBatch, any Error>)] = []
    private var draining = false
    private let write: Write

    init(write: @escaping Write) {
        self.write = write
    }

    /// Appends `leaves` in the next group; returns when that group is committed.
    func append(_ leaves: HashedLeaves) async throws -> AppendBatch {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((leaves, continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = pending
            pending.removeAll()
            do {
                let batches = try await write(group.map(\.leaves))
                for (request, batch) in zip(group, batches) { request.continuation.resume(returning: batch) }
            } catch {
                // The transaction rolled back as a whole: every append in it failed.
                for request in group { request.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
