import NIOCore
import NIOPosix

/// A lean HTTP/1.1 load generator for the gateway benchmark: keep-alive connections on NIO's event loops, each
/// sending one pre-encoded request at a time and reading the answer by its `Content-Length`, with no HTTP codec,
/// header objects or per-request tasks. On a 2-core machine the generator shares the cores with what it measures,
/// so it must cost little: this one costs a fraction of what AsyncHTTPClient does per request.
///
/// Two modes: a closed loop (each connection sends again as soon as its answer is complete) and a fixed rate
/// (request k of connection c is due at `start + (k + c / n) · n / rate`; its latency counts from that due time,
/// so a stalled server delays the requests queued behind it and shows in the figures, as with wrk2).
struct LoopbackLoad: Sendable {
    /// One connection's figures.
    struct Tally: Sendable {
        var latencies: [Double] = []
        var errors = 0
    }

    let host: String
    let port: Int
    let request: [UInt8]

    /// A POST of `body` to `path` with JSON content type and, with `bearer`, an Authorization header.
    init(host: String = "127.0.0.1", port: Int, path: String, body: [UInt8], bearer: String?) {
        self.host = host
        self.port = port
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\n"
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        request = Array(head.utf8) + body
    }

    /// Runs `connections` connections for `seconds` (closed loop, or `rate` requests/s in all) and returns every
    /// 200 answer's latency in seconds and the count of other answers.
    func run(connections: Int, seconds: Double, rate: Double?) async throws -> (tally: Tally, elapsed: Double) {
        let start = NIODeadline.now()
        let end = start + .nanoseconds(Int64(seconds * 1e9))
        let done = try await open(connections: connections, start: start, end: end, rate: rate, turn: nil)
        let tally = try await Self.collect(done)
        return (tally, Double((NIODeadline.now() - start).nanoseconds) / 1e9)
    }

    /// Runs `targets` in turns of `turn` seconds over `seconds` (target k sends only in turns k, k + n, k + 2n, …),
    /// each with `connections` connections at `rate` requests/s while its turn lasts; returns each target's tally
    /// and the seconds it had. Turns a fraction of a second long put targets measured against each other under the
    /// same load from the rest of the machine, which on a shared machine drifts over seconds: two phases run one
    /// after the other can differ by more than what they compare.
    static func interleaved(_ targets: [LoopbackLoad], connections: Int, seconds: Double, rate: Double,
                            turn: Double) async throws -> [(tally: Tally, seconds: Double)] {
        let start = NIODeadline.now()
        let end = start + .nanoseconds(Int64(seconds * 1e9))
        var pending: [[EventLoopFuture<Tally>]] = []
        for (k, target) in targets.enumerated() {
            let turns = Turns(start: start, length: .nanoseconds(Int64(turn * 1e9)), index: k, count: targets.count)
            pending.append(try await target.open(connections: connections, start: start, end: end, rate: rate, turn: turns))
        }
        var results: [(tally: Tally, seconds: Double)] = []
        for done in pending {
            results.append((try await collect(done), seconds / Double(targets.count)))
        }
        return results
    }

    /// When one of several interleaved targets may send: during turns `index`, `index + count`, … of `length`
    /// from `start`.
    struct Turns: Sendable {
        let start: NIODeadline
        let length: TimeAmount
        let index: Int
        let count: Int

        func isOpen(at time: NIODeadline) -> Bool {
            let turn = (time - start).nanoseconds / length.nanoseconds
            return Int(turn % Int64(count)) == index
        }
    }

    /// Connects `connections` connections that send from `start` until `end`; returns their outcomes to come.
    private func open(connections: Int, start: NIODeadline, end: NIODeadline, rate: Double?,
                      turn: Turns?) async throws -> [EventLoopFuture<Tally>] {
        let group = MultiThreadedEventLoopGroup.singleton
        let interval = rate.map { TimeAmount.nanoseconds(Int64(Double(connections) / $0 * 1e9)) }
        var futures: [EventLoopFuture<Tally>] = []
        for c in 0..<connections {
            let loop = group.next()
            let done = loop.makePromise(of: Tally.self)
            let first = interval.map { start + .nanoseconds($0.nanoseconds * Int64(c) / Int64(connections)) }
            let request = self.request
            _ = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            Connection(request: request, end: end, interval: interval, first: first, turn: turn, done: done))
                    }
                }
                .connect(host: host, port: port).get()
            futures.append(done.futureResult)
        }
        return futures
    }

    private static func collect(_ futures: [EventLoopFuture<Tally>]) async throws -> Tally {
        var tally = Tally()
        for future in futures {
            let one = try await future.get()
            tally.latencies += one.latencies
            tally.errors += one.errors
        }
        return tally
    }

    /// One keep-alive connection: send, read one answer, send again (now or when the next one is due).
    final class Connection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private let request: [UInt8]
        private let end: NIODeadline
        private let interval: TimeAmount?
        private let turn: Turns?
        private var due: NIODeadline?
        private let done: EventLoopPromise<Tally>
        private var tally = Tally()
        private var received: ByteBuffer?
        private var sentAt = NIODeadline.now()
        private var finished = false

        init(request: [UInt8], end: NIODeadline, interval: TimeAmount?, first: NIODeadline?, turn: Turns?,
             done: EventLoopPromise<Tally>) {
            self.request = request
            self.end = end
            self.interval = interval
            self.turn = turn
            self.due = first
            self.done = done
        }

        func channelActive(context: ChannelHandlerContext) {
            next(context: context)
        }

        /// Sends the next request now (closed loop, or when it is overdue) or when it is due; stops at the end.
        private func next(context: ChannelHandlerContext) {
            if var next = due {
                // Requests due outside this target's turns are not sent (interleaved runs).
                if let turn, let interval {
                    while next < end, !turn.isOpen(at: next) { next = next + interval }
                    due = next
                }
                let due = next
                guard due < end else { return finish(context: context) }
                if due > .now() {
                    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                    context.eventLoop.scheduleTask(deadline: due) {
                        let (handler, context) = loopBound.value
                        handler.send(context: context, at: due)
                    }
                    return
                }
                send(context: context, at: due)
            } else {
                let now = NIODeadline.now()
                guard now < end else { return finish(context: context) }
                send(context: context, at: now)
            }
        }

        private func send(context: ChannelHandlerContext, at time: NIODeadline) {
            guard !finished else { return }
            sentAt = time
            if let interval, let due { self.due = due + interval }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: request)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            if received == nil { received = bytes } else { received?.writeBuffer(&bytes) }
            guard let buffer = received, let answer = Self.complete(buffer) else { return }
            received = nil
            if answer.status == 200 {
                tally.latencies.append(Double((NIODeadline.now() - sentAt).nanoseconds) / 1e9)
            } else {
                tally.errors += 1
            }
            if answer.length < buffer.readableBytes { tally.errors += 1 }  // bytes no request asked for
            next(context: context)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            tally.errors += 1
            finish(context: context)
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !finished {
                tally.errors += 1
                finished = true
                done.succeed(tally)
            }
        }

        private func finish(context: ChannelHandlerContext) {
            guard !finished else { return }
            finished = true
            done.succeed(tally)
            context.close(promise: nil)
        }

        /// The status and total length of the answer at the start of `buffer`, once all of it has arrived
        /// (`Content-Length` framing; an answer without it counts as complete at its head, with status 0).
        static func complete(_ buffer: ByteBuffer) -> (status: Int, length: Int)? {
            buffer.withUnsafeReadableBytes { b -> (status: Int, length: Int)? in
                guard b.count >= 16 else { return nil }
                var headEnd = -1
                var i = 3
                while i < b.count {
                    if b[i] == 10, b[i - 1] == 13, b[i - 2] == 10, b[i - 3] == 13 { headEnd = i + 1; break }
                    i += 1
                }
                guard headEnd > 0 else { return nil }
                // "HTTP/1.1 200 …"
                var status = 0
                for k in 9..<12 where b[k] >= 48 && b[k] <= 57 { status = status * 10 + Int(b[k] - 48) }
                var length: Int?
                var line = 0
                while line < headEnd {
                    var lineEnd = line
                    while lineEnd < headEnd && b[lineEnd] != 13 { lineEnd += 1 }
                    let name = "content-length:"
                    if lineEnd - line > name.utf8.count,
                       zip(b[line..<(line + name.utf8.count)], name.utf8).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
                        var value = 0
                        for k in (line + name.utf8.count)..<lineEnd where b[k] >= 48 && b[k] <= 57 { value = value * 10 + Int(b[k] - 48) }
                        length = value
                    }
                    line = lineEnd + 2
                }
                guard let length else { return (0, headEnd) }
                return headEnd + length <= b.count ? (status, headEnd + length) : nil
            }
        }
    }
}
