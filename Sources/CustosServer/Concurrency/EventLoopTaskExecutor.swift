import NIOCore
import NIOPosix

/// A task executor that runs jobs on NIO event loops: either on one loop (`pinned`), or on whichever loop of a
/// group enqueues them (`current`, NIO's `any()`: the enqueuing loop when it is one of the group's, else the next).
///
/// Why: on a small machine most of a proxied request's latency beyond its real work is thread hand-offs. Under
/// the global executor every await that an event loop completes (the request read, the upstream answer, the
/// response written) wakes a thread of the global pool, and that thread wakes the loop again for the next I/O.
/// Running the request's task on the loop that did the I/O removes those wake-ups: the continuation runs on the
/// same thread, in the loop's next tick. AsyncHTTPClient also prefers a connection on the calling loop (its
/// `any()`), so the upstream call stays there too.
///
/// Code running here must not block and must not run long: it runs on an event loop, and every connection of
/// that loop waits for it. The gateway moves model inference and isolated (worker-process) screening off the loop
/// (`GatewayExecutors.offLoop`).
final class EventLoopTaskExecutor: TaskExecutor {
    enum Placement {
        /// The loop that enqueues the job, if it belongs to the group; else the group's next loop.
        case current(any EventLoopGroup)
        /// Always this loop.
        case pinned(any EventLoop)
    }

    let placement: Placement

    init(_ placement: Placement) {
        self.placement = placement
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let loop: any EventLoop
        switch placement {
        case .current(let group): loop = group.any()
        case .pinned(let pinned): loop = pinned
        }
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The executors the gateway runs on: its server tasks on the event loop that serves the connection, each API
/// request pinned to that loop (so it comes back to it after an audit write, which completes on another thread),
/// and CPU-heavy or blocking work on the global concurrent executor.
struct GatewayExecutors: Sendable {
    /// Where a route's work runs.
    enum Placement: Sendable {
        /// Microseconds of work and non-blocking awaits: on the loop that read the request.
        case loop
        /// Work that may take milliseconds (model inference, reading many audit records): off the loops.
        case offLoop
        /// On the loop when the caller's policy screens without models (`Pipeline.isLight`) and the body is at
        /// most `loopBodyBytes`; off the loops otherwise.
        case loopIfLight
    }

    /// The largest body a `loopIfLight` route handles on an event loop (texts this long are still scanned on
    /// one thread by the pipeline).
    static let loopBodyBytes = 16 << 10

    /// Runs each job on the loop that enqueued it: the server runs under this one.
    let server: EventLoopTaskExecutor
    private let pinned: [ObjectIdentifier: EventLoopTaskExecutor]

    /// Executors over `group`, which must be the server's (Hummingbird and AsyncHTTPClient use the singleton).
    init(group: MultiThreadedEventLoopGroup = .singleton) {
        server = EventLoopTaskExecutor(.current(group))
        var pinned: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for loop in group.makeIterator() {
            pinned[ObjectIdentifier(loop)] = EventLoopTaskExecutor(.pinned(loop))
        }
        self.pinned = pinned
    }

    /// An executor pinned to the loop the caller runs on, or nil off the group's loops.
    func home() -> EventLoopTaskExecutor? {
        MultiThreadedEventLoopGroup.currentEventLoop.flatMap { pinned[ObjectIdentifier($0)] }
    }

    /// Where CPU-heavy or blocking work goes: the global concurrent executor.
    var offLoop: any TaskExecutor { globalConcurrentExecutor }
}
