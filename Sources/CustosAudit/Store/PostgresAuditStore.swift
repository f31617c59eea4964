import CustosCore
import Foundation
import PostgresNIO

/// An `AuditStore` in PostgreSQL, for several gateway instances (processes, machines) writing one log.
///
/// Tables live in the schema `custos_audit` and are created by numbered migrations recorded in
/// `custos_audit.schema_migration` (applied under an advisory lock, so concurrent first opens are safe).
/// Every append is one transaction that first locks the single tree-state row (`SELECT … FOR UPDATE`):
/// appenders queue on that lock and each extends the frontier the previous one committed, so the log has
/// one linear order. Appends arriving concurrently through one store value share a transaction (group
/// commit, as in the SQLite store). Commits are durable as PostgreSQL's are (`synchronous_commit` is left
/// as the server has it, `on` by default: a commit returns after its WAL record is flushed).
///
/// Open with `open(url:)` or `open(endpoint:)`, which connect once directly (so a wrong host, password or database is an
/// immediate, precise error rather than a pool retrying for a minute), migrates, then starts the
/// connection pool's background task. Call `close()` when done; a store that is never closed stops its
/// pool when it is deinitialized.
public final class PostgresAuditStore: AuditStore {
    /// Where the store lives (no password in its description).
    public let endpoint: PostgresEndpoint
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let group: GroupCommit

    private init(endpoint: PostgresEndpoint, client: PostgresClient) {
        self.endpoint = endpoint
        self.client = client
        runner = Task { await client.run() }
        group = GroupCommit { appends in
            try await Self.mappingErrors(endpoint) { try await Self.write(appends, client: client, endpoint: endpoint) }
        }
    }

    deinit { runner.cancel() }

    /// Opens the store at a `postgres://` URL (see `PostgresEndpoint`).
    public static func open(url: String, createIfMissing: Bool = true) async throws -> PostgresAuditStore {
        try await open(endpoint: PostgresEndpoint(url: url), createIfMissing: createIfMissing)
    }

    /// Connects, migrates (creating the tables when `createIfMissing`, else refusing a database without a
    /// log) and starts the pool.
    public static func open(endpoint: PostgresEndpoint, createIfMissing: Bool = true) async throws -> PostgresAuditStore {
        try await mappingErrors(endpoint) {
            let connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(endpoint), id: 1, logger: logger)
            do {
                try await migrate(connection, endpoint: endpoint, createIfMissing: createIfMissing)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        }
        return PostgresAuditStore(endpoint: endpoint, client: PostgresClient(configuration: clientConfiguration(endpoint)))
    }

    /// Stops the connection pool and waits for its connections to close. The store is unusable afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    // MARK: Schema

    /// Numbered migrations: an id and its statements (one per query: the extended protocol runs one at a time).
    static let migrations: [(id: String, statements: [String])] = [
        ("1-entries-heads-state-checkpoints-keys", [
            "CREATE TABLE custos_audit.entry (idx BIGINT PRIMARY KEY, leaf BYTEA NOT NULL, leaf_hash BYTEA NOT NULL)",
            "CREATE TABLE custos_audit.head (size BIGINT PRIMARY KEY, root BYTEA NOT NULL)",
            "CREATE TABLE custos_audit.tree_state (id INT PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL, frontier BYTEA NOT NULL)",
            "INSERT INTO custos_audit.tree_state (id, size, frontier) VALUES (1, 0, ''::bytea)",
            "CREATE TABLE custos_audit.checkpoint (size BIGINT PRIMARY KEY, note TEXT NOT NULL)",
            """
            CREATE TABLE custos_audit.subject_key (key_id TEXT PRIMARY KEY, subject TEXT NOT NULL UNIQUE, \
            master_key_id TEXT NOT NULL, wrapped BYTEA NOT NULL)
            """,
        ]),
    ]

    /// Advisory lock key serializing migrations across processes ("custos-a" in ASCII).
    private static let migrationLock = 0x6375_7374_6f73_2d61

    private static func migrate(_ connection: PostgresConnection, endpoint: PostgresEndpoint, createIfMissing: Bool) async throws {
        try await connection.withTransaction(logger: logger) { db in
            try await db.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            var exists = false
            for try await found in try await db.query(
                "SELECT to_regclass('custos_audit.schema_migration') IS NOT NULL", logger: logger
            ).decode(Bool.self) {
                exists = found
            }
            if !exists {
                guard createIfMissing else {
                    throw CustosError(.usage, "no audit log in \(endpoint); run `custos audit init --store postgres://…` first")
                }
                try await db.query("CREATE SCHEMA IF NOT EXISTS custos_audit", logger: logger)
                try await db.query(
                    "CREATE TABLE custos_audit.schema_migration (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    logger: logger)
            }
            var applied: Set<String> = []
            for try await id in try await db.query("SELECT id FROM custos_audit.schema_migration", logger: logger).decode(String.self) {
                applied.insert(id)
            }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await db.query("INSERT INTO custos_audit.schema_migration (id) VALUES (\(migration.id))", logger: logger)
            }
        }
    }

    // MARK: AuditStore

    /// Appends in one transaction holding the tree-state row lock (shared with appends arriving concurrently
    /// through this store: group commit); state read, then entries, heads and state written in one statement.
    public func append(_ leaves: HashedLeaves) async throws -> AppendBatch {
        try await group.append(leaves)
    }

    /// Writes appends in order in one transaction; returns one batch per append. First checks that the data keys
    /// the payloads were sealed under still exist, holding them (`FOR SHARE`) so that a concurrent `forget` waits
    /// for this commit; an append sealed under a missing one is refused, the others are written.
    private static func write(_ appends: [HashedLeaves], client: PostgresClient, endpoint: PostgresEndpoint) async throws -> [AppendOutcome] {
        try await client.withTransaction(logger: logger) { db in
            var state: (size: Int, frontier: ByteBuffer)?
            for try await row in try await db.query(
                "SELECT size, frontier FROM custos_audit.tree_state WHERE id = 1 FOR UPDATE", logger: logger
            ).decode((Int, ByteBuffer).self) {
                state = (row.0, row.1)
            }
            guard let state else {
                throw CustosError(.invalidInput, "corrupt audit store in \(endpoint): the tree state row is missing")
            }
            let keyIDs = Set(appends.flatMap(\.sealedUnder))
            var missing: Set<String> = []
            if !keyIDs.isEmpty {
                var present: Set<String> = []
                for try await id in try await db.query(
                    "SELECT key_id FROM custos_audit.subject_key WHERE key_id = ANY(\(Array(keyIDs))::text[]) FOR SHARE", logger: logger
                ).decode(String.self) {
                    present.insert(id)
                }
                missing = keyIDs.subtracting(present)
            }
            var frontier = try MerkleFrontier(size: state.size, serialized: Array(state.frontier.readableBytesView))
            var outcomes: [AppendOutcome] = []
            var indices: [Int] = []
            var leafBuffers: [ByteBuffer] = []
            var hashBuffers: [ByteBuffer] = []
            var headSizes: [Int] = []
            var headRoots: [ByteBuffer] = []
            for leaves in appends {
                if let refusal = leaves.refusal(missing: missing) {
                    outcomes.append(.failure(refusal))
                    continue
                }
                let batch = AppendBatch(extending: frontier, with: leaves)
                for (k, leaf) in leaves.leaves.enumerated() {
                    indices.append(batch.first + k)
                    leafBuffers.append(ByteBuffer(bytes: leaf))
                    hashBuffers.append(ByteBuffer(bytes: batch.leafHashes[k]))
                }
                if !leaves.isEmpty {
                    headSizes.append(batch.head.size)
                    headRoots.append(ByteBuffer(bytes: batch.head.root))
                }
                frontier = batch.frontier
                outcomes.append(.success(batch))
            }
            guard !indices.isEmpty else { return outcomes }
            // One round trip for every write; the WHERE on the old size guards the linear order even if the row lock
            // were ever bypassed.
            var updated = 0
            for try await _ in try await db.query("""
                WITH new_entries AS (
                    INSERT INTO custos_audit.entry (idx, leaf, leaf_hash)
                    SELECT * FROM unnest(\(indices)::bigint[], \(leafBuffers)::bytea[], \(hashBuffers)::bytea[])
                ), new_heads AS (
                    INSERT INTO custos_audit.head (size, root) SELECT * FROM unnest(\(headSizes)::bigint[], \(headRoots)::bytea[])
                )
                UPDATE custos_audit.tree_state SET size = \(frontier.size), frontier = \(ByteBuffer(bytes: frontier.serialized))
                WHERE id = 1 AND size = \(state.size) RETURNING size
                """, logger: logger) {
                updated += 1
            }
            guard updated == 1 else {
                throw CustosError(.internal, "the tree state in \(endpoint) changed during an append that held its lock")
            }
            return outcomes
        }
    }

    /// The stored tree state.
    public func frontier() async throws -> MerkleFrontier {
        try await run {
            var state: (Int, ByteBuffer)?
            for try await row in try await client.query("SELECT size, frontier FROM custos_audit.tree_state WHERE id = 1")
                .decode((Int, ByteBuffer).self) {
                state = row
            }
            guard let state else { return MerkleFrontier() }
            return try MerkleFrontier(size: state.0, serialized: Array(state.1.readableBytesView))
        }
    }

    /// Entries with index ≥ `start`, in index order.
    public func entries(from start: Int, limit: Int) async throws -> [StoredEntry] {
        try await run {
            var entries: [StoredEntry] = []
            for try await (index, leaf, hash) in try await client.query(
                "SELECT idx, leaf, leaf_hash FROM custos_audit.entry WHERE idx >= \(start) ORDER BY idx LIMIT \(limit)"
            ).decode((Int, ByteBuffer, ByteBuffer).self) {
                entries.append(StoredEntry(index: index, leaf: Array(leaf.readableBytesView), leafHash: Array(hash.readableBytesView)))
            }
            return entries
        }
    }

    /// The entry at `index`.
    public func entry(at index: Int) async throws -> StoredEntry {
        let found = try await entries(from: index, limit: 1).first
        guard let found, found.index == index else { throw CustosError(.invalidInput, "no entry at index \(index)") }
        return found
    }

    /// Leaf hashes in index order.
    public func leafHashes() async throws -> [Hash] {
        try await run {
            var hashes: [Hash] = []
            for try await hash in try await client.query("SELECT leaf_hash FROM custos_audit.entry ORDER BY idx").decode(ByteBuffer.self) {
                hashes.append(Array(hash.readableBytesView))
            }
            return hashes
        }
    }

    /// Tree heads recorded after each append.
    public func heads() async throws -> [TreeHead] {
        try await run {
            var heads: [TreeHead] = []
            for try await (size, root) in try await client.query("SELECT size, root FROM custos_audit.head ORDER BY size")
                .decode((Int, ByteBuffer).self) {
                heads.append(TreeHead(size: size, root: Array(root.readableBytesView)))
            }
            return heads
        }
    }

    /// Saves a signed checkpoint (replacing one saved for the same size).
    public func saveCheckpoint(size: Int, note: String) async throws {
        try await run {
            _ = try await client.query("""
                INSERT INTO custos_audit.checkpoint (size, note) VALUES (\(size), \(note))
                ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note
                """)
        }
    }

    /// Every saved checkpoint.
    public func checkpoints() async throws -> [StoredCheckpoint] {
        try await run {
            var checkpoints: [StoredCheckpoint] = []
            for try await (size, note) in try await client.query("SELECT size, note FROM custos_audit.checkpoint ORDER BY size")
                .decode((Int, String).self) {
                checkpoints.append(StoredCheckpoint(size: size, note: note))
            }
            return checkpoints
        }
    }

    /// The largest checkpointed size.
    public func latestCheckpointSize() async throws -> Int? {
        try await run {
            for try await size in try await client.query("SELECT MAX(size) FROM custos_audit.checkpoint").decode(Int?.self) {
                return size
            }
            return nil
        }
    }

    /// The subject's data key; a missing one is inserted with `ON CONFLICT DO NOTHING` and read back, so
    /// concurrent callers (any process) all get the key that won.
    public func subjectKey(for subject: String, make: @Sendable () throws -> WrappedKey) async throws -> WrappedKey {
        try await run {
            if let key = try await storedKey(subject: subject) { return key }
            let key = try make()
            _ = try await client.query("""
                INSERT INTO custos_audit.subject_key (key_id, subject, master_key_id, wrapped)
                VALUES (\(key.keyID), \(subject), \(key.masterKeyID), \(ByteBuffer(bytes: key.wrapped))) ON CONFLICT DO NOTHING
                """)
            guard let stored = try await storedKey(subject: subject) else {
                throw CustosError(.internal, "could not store a data key for a subject in \(endpoint) (key id collision)")
            }
            return stored
        }
    }

    private func storedKey(subject: String) async throws -> WrappedKey? {
        var key: WrappedKey?
        for try await (id, master, wrapped) in try await client.query(
            "SELECT key_id, master_key_id, wrapped FROM custos_audit.subject_key WHERE subject = \(subject)"
        ).decode((String, String, ByteBuffer).self) {
            key = WrappedKey(keyID: id, masterKeyID: master, wrapped: Array(wrapped.readableBytesView))
        }
        return key
    }

    /// A wrapped key by id, unless forgotten.
    public func wrappedKey(id: String) async throws -> WrappedKey? {
        try await run {
            var key: WrappedKey?
            for try await (keyID, master, wrapped) in try await client.query(
                "SELECT key_id, master_key_id, wrapped FROM custos_audit.subject_key WHERE key_id = \(id)"
            ).decode((String, String, ByteBuffer).self) {
                key = WrappedKey(keyID: keyID, masterKeyID: master, wrapped: Array(wrapped.readableBytesView))
            }
            return key
        }
    }

    /// Deletes the subject's keys, then vacuums the key table so the dead row versions are pruned. What this
    /// does not reach (WAL segments not yet recycled, archives, replicas, backups) is in docs/audit.md.
    public func forget(subject: String) async throws -> [String] {
        try await run {
            var ids: [String] = []
            for try await id in try await client.query(
                "DELETE FROM custos_audit.subject_key WHERE subject = \(subject) RETURNING key_id"
            ).decode(String.self) {
                ids.append(id)
            }
            // VACUUM needs table ownership; a role that may delete but not vacuum still forgets the key (the row is
            // gone for every reader), and autovacuum prunes it later.
            if !ids.isEmpty { _ = try? await client.query("VACUUM custos_audit.subject_key") }
            return ids
        }
    }

    // MARK: Connections and errors

    /// postgres-nio's logger for queries: only critical events, so nothing reaches a CLI's output.
    static let logger: Logger = {
        var logger = Logger(label: "custos.audit.postgres")
        logger.logLevel = .critical
        return logger
    }()

    private static func connectionConfiguration(_ endpoint: PostgresEndpoint) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch endpoint.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration(endpoint.tls)))
        case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration(endpoint.tls)))
        }
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username, password: endpoint.password,
            database: endpoint.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        return configuration
    }

    private static func clientConfiguration(_ endpoint: PostgresEndpoint) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch endpoint.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(tlsConfiguration(endpoint.tls))
        case .require, .verifyCA, .verifyFull: tls = .require(tlsConfiguration(endpoint.tls))
        }
        var configuration = PostgresClient.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username, password: endpoint.password,
            database: endpoint.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        return configuration
    }

    /// libpq's modes: `prefer` and `require` encrypt without checking the certificate; `verify-*` check it.
    private static func tlsConfiguration(_ mode: PostgresEndpoint.TLSMode) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }

    /// How long a connection attempt may take before it is reported as a timeout (libpq has no default; 10 s
    /// is postgres-nio's).
    static let connectTimeoutSeconds = 10

    private func run<T>(_ body: () async throws -> T) async throws -> T {
        try await Self.mappingErrors(endpoint, body)
    }

    private static func mappingErrors<T>(_ endpoint: PostgresEndpoint, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw PostgresErrors.describe(error, endpoint: endpoint)
        }
    }
}
