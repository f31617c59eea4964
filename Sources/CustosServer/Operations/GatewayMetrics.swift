import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The gateway's metrics (swift-metrics over a Prometheus registry owned by this gateway, so several gateways
/// in one process, as in tests, do not share counters): requests by route and status, decisions by side,
/// scanner and action, latency histograms, upstream errors, audit failures.
public final class GatewayMetrics: Sendable {
    /// The registry `/metrics` prints.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    // Handles made once: building one looks it up in the registry by label and dimensions (hashing strings,
    // under the registry's lock), which was ~12 µs of a chat request's CPU in a profile for five look-ups.
    private let screeningTimers: [String: CoreMetrics.Timer]
    private let upstreamTimer: CoreMetrics.Timer
    private let routeMetrics = Mutex<[RouteStatus: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)]>([:])
    private let decisionCounters = Mutex<[Decision: CoreMetrics.Counter]>([:])

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    private struct Decision: Hashable {
        var side: String
        var scanner: String
        var action: String
    }

    /// A fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        screeningTimers = Dictionary(uniqueKeysWithValues: ["input", "output"].map { side in
            (side, CoreMetrics.Timer(label: "custos_screening_duration_seconds", dimensions: [("side", side)], factory: factory))
        })
        upstreamTimer = CoreMetrics.Timer(label: "custos_upstream_duration_seconds", dimensions: [], factory: factory)
    }

    /// One request finished.
    public func request(route: String, status: Int, duration: Duration) {
        let key = RouteStatus(route: route, status: status)
        let handles = routeMetrics.withLock { cache in
            if let handles = cache[key] { return handles }
            let handles = (CoreMetrics.Counter(label: "custos_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory),
                           CoreMetrics.Timer(label: "custos_request_duration_seconds", dimensions: [("route", route)], factory: factory))
            cache[key] = handles
            return handles
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// A scanner fired with an action.
    public func decision(side: String, scanner: String, action: String) {
        let key = Decision(side: side, scanner: scanner, action: action)
        decisionCounters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = CoreMetrics.Counter(label: "custos_decisions_total", dimensions: [("side", side), ("scanner", scanner), ("action", action)],
                                  factory: factory)
            cache[key] = counter
            return counter
        }.increment()
    }

    /// Time spent screening one side.
    public func screening(side: String, duration: Duration) {
        let timer = screeningTimers[side]
            ?? CoreMetrics.Timer(label: "custos_screening_duration_seconds", dimensions: [("side", side)], factory: factory)
        timer.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// An upstream call failed.
    public func upstreamError(kind: String) {
        CoreMetrics.Counter(label: "custos_upstream_errors_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// Time the upstream took (to the whole answer, or the end of the stream).
    public func upstream(duration: Duration) {
        upstreamTimer.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// An audit append failed.
    public func auditFailure() {
        CoreMetrics.Counter(label: "custos_audit_failures_total", dimensions: [], factory: factory).increment()
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
