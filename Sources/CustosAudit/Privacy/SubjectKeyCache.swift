import Synchronization

/// Subjects' data keys as last read from the store, kept unwrapped, so that appending a record with a payload
/// neither reads the store first (in the gateway that read was a second transaction per request, on another
/// thread) nor unwraps the key again (an AES-GCM open and the master key's id, ~14 µs of the gateway's CPU per
/// request in a profile).
///
/// A cached key may have been destroyed since it was read (`custos audit forget` in another process, another
/// gateway instance). That is never trusted: every append names the key ids its payloads were sealed under
/// (`HashedLeaves.sealedUnder`), the store checks them inside the append's transaction, and refuses that
/// append with `ForgottenSubjectKeys` when one is gone; `AuditLog` then drops those keys and seals again under
/// a fresh one. So no payload is ever stored under a destroyed key, cached or not.
///
/// Entries expire after `lifetime`, so a key of a forgotten subject does not stay in this process's memory for long
/// once nobody appends for that subject (an unwrapped key held here is no weaker than the master key this process
/// holds anyway, which unwraps every key); the cache holds at most `capacity` subjects (it is emptied when full).
final class SubjectKeyCache: Sendable {
    private struct Entry {
        var key: DataKey
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The subject's key, unless absent or expired.
    func key(for subject: String) -> DataKey? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[subject] else { return nil }
            guard entry.expires > now else {
                entries[subject] = nil
                return nil
            }
            return entry.key
        }
    }

    /// Remembers the subject's key.
    func remember(_ key: DataKey, for subject: String) {
        let expires = ContinuousClock.now + lifetime
        entries.withLock { entries in
            if entries.count >= capacity, entries[subject] == nil { entries.removeAll(keepingCapacity: true) }
            entries[subject] = Entry(key: key, expires: expires)
        }
    }

    /// Drops the subject's key.
    func forget(subject: String) {
        _ = entries.withLock { $0.removeValue(forKey: subject) }
    }

    /// Drops every subject whose key is one of `keyIDs`.
    func forget(keyIDs: Set<String>) {
        entries.withLock { entries in
            entries = entries.filter { !keyIDs.contains($0.value.key.keyID) }
        }
    }
}
