import CustosCore
import Foundation
import Synchronization

/// The API keys in memory, looked up by the SHA-256 of the presented secret. Keys created or revoked while the
/// gateway runs are picked up on the next miss (at most one reload per second, so a flood of bad keys cannot
/// turn into a flood of database reads).
final class KeyDirectory: Sendable {
    private struct State {
        var byHash: [String: APIKey] = [:]
        var lastReload = ContinuousClock.Instant.now - .seconds(10)
    }

    let store: APIKeyStore
    private let state = Mutex(State())

    init(store: APIKeyStore) {
        self.store = store
    }

    /// Every key (for building per-key policies).
    var all: [APIKey] { state.withLock { Array($0.byHash.values) } }

    /// Reads the keys again.
    func reload() throws {
        let keys = try store.all()
        state.withLock { state in
            state.byHash = Dictionary(keys.filter { !$0.revoked }.map { ($0.hash, $0) }, uniquingKeysWith: { a, _ in a })
            state.lastReload = .now
        }
    }

    /// The key a secret belongs to, if any.
    func lookup(secret: String) -> APIKey? {
        let hash = APIKeyStore.hash(secret)
        if let key = state.withLock({ $0.byHash[hash] }) { return key }
        let due = state.withLock { state -> Bool in
            guard ContinuousClock.now - state.lastReload > .seconds(1) else { return false }
            state.lastReload = .now
            return true
        }
        guard due else { return nil }
        try? reload()
        return state.withLock { $0.byHash[hash] }
    }
}
