import CustosCore
import Foundation

/// How failed calls are retried: exponential backoff with full jitter, for the failures that may pass (429, 5xx,
/// timeouts, lost connections). A call that still fails after `attempts` is stored as failed — never counted as an
/// answer — and tried again when the run is resumed.
public struct RetryPolicy: Sendable, Equatable {
    /// Calls per item, the first included.
    public var attempts: Int
    /// The first backoff; each next one doubles, up to `maximumDelay`.
    public var initialDelay: Duration
    /// The longest backoff.
    public var maximumDelay: Duration
    /// The first backoff after a 429 (rate limited): a token bucket needs time to refill, so it starts higher.
    public var rateLimitDelay: Duration

    /// A policy.
    public init(attempts: Int = 4, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(20),
                rateLimitDelay: Duration = .seconds(2)) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.rateLimitDelay = rateLimitDelay
    }

    /// The wait before call `attempt + 1` (attempt counts from 1): uniform in [0, min(max, first·2^(attempt−1))],
    /// where `first` is `rateLimitDelay` after a 429 and `initialDelay` otherwise (full jitter).
    func delay(after attempt: Int, rateLimited: Bool = false, using generator: inout SystemRandomNumberGenerator) -> Duration {
        let first = rateLimited ? rateLimitDelay : initialDelay
        let cap = min(maximumDelay, first * (1 << min(attempt - 1, 20)))
        let seconds = Double(cap.components.seconds) + Double(cap.components.attoseconds) / 1e18
        return .milliseconds(Int(Double.random(in: 0...seconds, using: &generator) * 1000))
    }
}

/// Runs an evaluation's items against a target with bounded concurrency, retries and a resumable store.
public struct EvalRunner: Sendable {
    /// Progress after each finished item.
    public struct Progress: Sendable {
        /// Items finished in this run (done or failed).
        public var finished: Int
        /// Items this run has to do (the total minus those already done).
        public var pending: Int
        /// Items that failed in this run.
        public var failed: Int
        /// Seconds since this run started.
        public var elapsed: Double

        /// The estimated seconds left at the current rate.
        public var eta: Double? { finished > 0 ? elapsed / Double(finished) * Double(pending - finished) : nil }
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        /// Items in the run.
        public var total: Int
        /// Items found done in the store and skipped.
        public var resumed: Int
        /// Items sent to the target in this run.
        public var requested: Int
        /// Items that failed in this run (stored as failed).
        public var failed: Int
        /// Calls made, retries included.
        public var calls: Int
    }

    /// At most this many calls in flight.
    public var concurrency: Int
    /// Retries.
    public var retry: RetryPolicy
    /// Sampling temperature sent with every call.
    public var temperature: Double
    /// `max_tokens`, when set.
    public var maxTokens: Int?

    /// A runner.
    public init(concurrency: Int = 4, retry: RetryPolicy = RetryPolicy(), temperature: Double = 0.7, maxTokens: Int? = nil) {
        self.concurrency = max(1, concurrency)
        self.retry = retry
        self.temperature = temperature
        self.maxTokens = maxTokens
    }

    /// Sends every item not yet done in `store` to `target`, scores each answer with `score` and saves it (its text,
    /// or "[blocked by a content filter]") as it finishes. Cancellation (Ctrl-C) stops sending; everything finished so far is already stored.
    public func run(
        _ items: [RunItem], target: any ChatTarget, store: RunStore,
        score: @escaping @Sendable (RunItem, ChatAnswer) throws -> [String: Double],
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let done = try store.doneKeys()
        let pending = items.filter { !done.contains($0.key) }
        let start = ContinuousClock.now
        var summary = Summary(total: items.count, resumed: items.count - pending.count, requested: 0, failed: 0, calls: 0)
        try await withThrowingTaskGroup(of: (RunRecord, Int).self) { group in
            var next = 0
            func launch() {
                guard next < pending.count, !Task.isCancelled else { return }
                let item = pending[next]
                next += 1
                group.addTask { try await self.attempt(item, target: target, score: score) }
            }
            for _ in 0..<min(concurrency, pending.count) { launch() }
            var finished = 0
            while let (record, calls) = try await group.next() {
                try store.save(record)
                finished += 1
                summary.requested += 1
                summary.calls += calls
                if record.status == "failed" { summary.failed += 1 }
                let elapsed = ContinuousClock.now - start
                progress(Progress(finished: finished, pending: pending.count, failed: summary.failed,
                                  elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
                launch()
            }
        }
        return summary
    }

    /// What the store keeps as the answer of a blocked call.
    public static let blockedText = "[blocked by a content filter]"

    /// One item: calls with retries, then scoring.
    private func attempt(
        _ item: RunItem, target: any ChatTarget, score: @Sendable (RunItem, ChatAnswer) throws -> [String: Double]
    ) async throws -> (RunRecord, Int) {
        let start = ContinuousClock.now
        var generator = SystemRandomNumberGenerator()
        var calls = 0
        var lastError = ""
        while calls < retry.attempts {
            try Task.checkCancellation()
            calls += 1
            let answer: ChatAnswer
            do {
                answer = try await target.complete(item.messages, temperature: temperature, maxTokens: maxTokens)
            } catch {
                lastError = error.description
                guard error.retryable, calls < retry.attempts else { break }
                try await Task.sleep(for: retry.delay(after: calls, rateLimited: error.rateLimited, using: &generator))
                continue
            }
            let scores = try score(item, answer)
            let elapsed = ContinuousClock.now - start
            return (RunRecord(
                key: item.key, labels: item.labels, status: "done", answer: answer.blocked ? Self.blockedText : answer.text, error: nil, attempts: calls, scores: scores,
                promptTokens: answer.promptTokens, completionTokens: answer.completionTokens,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), calls)
        }
        let elapsed = ContinuousClock.now - start
        return (RunRecord(
            key: item.key, labels: item.labels, status: "failed", answer: "", error: lastError, attempts: calls, scores: [:],
            promptTokens: nil, completionTokens: nil,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), calls)
    }
}
