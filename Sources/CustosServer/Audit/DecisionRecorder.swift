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
    /// Records appended since start.
    public private(set) var appended = 0
    /// The last append error, if the store is failing now.
    public private(set) var lastError: String?
    private var lastFailure: ContinuousClock.Instant?

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
    public func record(_ record: JSONValue) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((record, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
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

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                let written = try await log.append(batch.map(\.record))
                appended += batch.count
                lastError = nil
                lastFailure = nil
                // Indexed before anyone is answered, so a caller's next request (feedback) finds it.
                if let index {
                    let now = Date().timeIntervalSince1970
                    let entries = batch.enumerated().compactMap { k, item -> RequestIndex.Entry? in
                        guard let id = item.record["request_id"]?.stringValue else { return nil }
                        return RequestIndex.Entry(requestID: id, auditIndex: written.first + k,
                                                  caller: item.record["caller"]?.stringValue ?? "",
                                                  action: item.record["action"]?.stringValue ?? "", time: now)
                    }
                    do { try index.add(entries) } catch { logger.warning("request index write failed", metadata: ["error": "\(error)"]) }
                }
                for (k, item) in batch.enumerated() { item.continuation.resume(returning: written.first + k) }
                if let signer {
                    do {
                        _ = try await log.checkpointIfDue(signer: signer, every: checkpointEvery)
                    } catch {
                        logger.error("checkpoint failed", metadata: ["error": "\(error)"])
                    }
                }
            } catch {
                lastError = "\(error)"
                lastFailure = .now
                logger.error("audit append failed", metadata: ["records": "\(batch.count)", "error": "\(error)"])
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
