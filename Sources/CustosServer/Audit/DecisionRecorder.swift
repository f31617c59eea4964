import CustosAudit
import CustosCore
import Foundation
import Logging

/// Appends the gateway's decision records to the audit log with group commit: records that arrive while a
/// batch is being written go into the next batch, so one durable transaction serves many concurrent requests.
/// `record` returns only once the record is durable (its log index), which is what lets the gateway promise
/// "nothing answered unrecorded".
public actor DecisionRecorder {
    /// The log.
    public let log: AuditLog
    private let signer: NoteSigner?
    private let checkpointEvery: Int
    private let logger: Logger
    private let index: RequestIndex?
    private var pending: [(record: JSONValue, continuation: CheckedContinuation<Int, any Error>)] = []
    private var writing = false
    /// Whether an append or a checkpoint is in flight (a checkpoint may still run after the record that made it
    /// due has returned).
    public var busy: Bool { writing }
    /// Records appended since start.
    public private(set) var appended = 0
    /// The last append error, if the store is failing now.
    public private(set) var lastError: String?
    private var lastFailure: ContinuousClock.Instant?
    /// The log's size at its latest checkpoint, as last read (nil: not read yet, or reading failed).
    private var checkpointedSize: Int?

    /// Whether an append failed within `window` (the store is probably still down): the gateway then refuses
    /// requests at once instead of calling the upstream for answers it could not record.
    public func failedRecently(within window: Duration = .seconds(5)) -> Bool {
        guard let lastFailure else { return false }
        return ContinuousClock.now - lastFailure < window
    }

    /// A recorder over `log`; with `signer`, a signed checkpoint is published every `checkpointEvery` records.
    /// With `index`, each durable record with a `request_id` is also indexed for lookups.
    public init(log: AuditLog, signer: NoteSigner?, checkpointEvery: Int, index: RequestIndex? = nil, logger: Logger) {
        self.log = log
        self.index = index
        self.signer = signer
        self.checkpointEvery = checkpointEvery
        self.logger = logger
    }

    /// Appends `record` durably; returns its index. Throws when the store fails.
    ///
    /// A caller that finds no append in flight writes its record itself, in its own task (an uncontended request
    /// costs no task switch); records arriving meanwhile queue and are written together by a task it starts on
    /// its way out.
    public func record(_ record: JSONValue) async throws -> Int {
        guard !writing else {
            return try await withCheckedThrowingContinuation { continuation in
                pending.append((record, continuation))
            }
        }
        writing = true
        do {
            let first = try await commit([record])
            handOver(checkpoint: checkpointMayBeDue(logSize: first + 1))
            return first
        } catch {
            handOver(checkpoint: false)
            throw error
        }
    }

    /// Whether the store answers (for `/readyz`).
    public func healthy() async -> Bool {
        do {
            _ = try await log.size()
            return true
        } catch {
            lastError = "\(error)"
            return false
        }
    }

    /// Appends `records` in one transaction, indexes them, notes the outcome; returns the first one's index.
    private func commit(_ records: [JSONValue]) async throws -> Int {
        let written: AppendBatch
        do {
            written = try await log.append(records)
        } catch {
            lastError = "\(error)"
            lastFailure = .now
            logger.error("audit append failed", metadata: ["records": "\(records.count)", "error": "\(error)"])
            throw error
        }
        appended += records.count
        lastError = nil
        lastFailure = nil
        // Queued for the index before anyone is answered; a lookup writes the queue first, so a caller's next
        // request (feedback) finds it, and no request waits for the index's own transaction.
        if let index {
            let now = Date().timeIntervalSince1970
            let entries = records.enumerated().compactMap { k, record -> RequestIndex.Entry? in
                guard let id = record["request_id"]?.stringValue else { return nil }
                return RequestIndex.Entry(requestID: id, auditIndex: written.first + k, caller: record["caller"]?.stringValue ?? "",
                                          action: record["action"]?.stringValue ?? "", time: now)
            }
            index.enqueue(entries, logger: logger)
        }
        return written.first
    }

    /// Whether a checkpoint may be due once the log holds `logSize` entries: never skips a due one, since the
    /// remembered size of the latest checkpoint is at most the real one (another instance may have signed since).
    private func checkpointMayBeDue(logSize: Int) -> Bool {
        guard signer != nil else { return false }
        guard let checkpointedSize else { return true }
        return logSize - checkpointedSize >= checkpointEvery
    }

    /// After a caller's own commit: records queued meanwhile, or a checkpoint that may be due, go to a new task
    /// (which keeps `writing` set until it is done); otherwise the recorder is idle.
    private func handOver(checkpoint: Bool) {
        if pending.isEmpty && !checkpoint {
            writing = false
        } else {
            Task { await self.drain(checkpointFirst: checkpoint) }
        }
    }

    private func drain(checkpointFirst: Bool) async {
        if checkpointFirst { await checkpointIfDue() }
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let first = try await commit(batch.map(\.record))
                for (k, item) in batch.enumerated() { item.continuation.resume(returning: first + k) }
                if checkpointMayBeDue(logSize: first + batch.count) { await checkpointIfDue() }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }

    /// Signs a checkpoint if one is due, and remembers the size of the latest.
    private func checkpointIfDue() async {
        guard let signer else { return }
        do {
            _ = try await log.checkpointIfDue(signer: signer, every: checkpointEvery)
            checkpointedSize = try await log.latestCheckpointSize()
        } catch {
            checkpointedSize = nil
            logger.error("checkpoint failed", metadata: ["error": "\(error)"])
        }
    }
}
