import CustosCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Length-prefixed frames on a pipe: a 4-byte little-endian length, then that many bytes (JSON here).
enum Frames {
    /// Largest frame accepted in either direction (a text is at most `Pipeline.maximumTextBytes`).
    static let maximumBytes = 64 << 20

    /// Why a frame could not be read or written.
    enum Failure: Error {
        /// The other side closed the pipe (inside a frame when `truncated`).
        case closed(truncated: Bool)
        /// Nothing arrived before the deadline.
        case timedOut
        /// A read or write failed, or the length is over the limit.
        case broken(String)
    }

    /// Writes one frame to `fd`.
    static func writeFrame(_ payload: [UInt8], to fd: Int32) throws {
        var frame = withUnsafeBytes(of: UInt32(payload.count).littleEndian) { Array($0) }
        frame += payload
        var offset = 0
        while offset < frame.count {
            let written = frame[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw Failure.closed(truncated: false) }
                throw Failure.broken("write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// The next frame from `fd`, waiting until `deadline` (nil: no limit); nil when the pipe closes between frames.
    static func readFrame(from fd: Int32, deadline: ContinuousClock.Instant? = nil) throws -> [UInt8]? {
        guard let header = try readExactly(fd, 4, deadline: deadline, first: true) else { return nil }
        let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
        guard length <= maximumBytes else { throw Failure.broken("a frame of \(length) bytes is over the limit of \(maximumBytes)") }
        return try readExactly(fd, length, deadline: deadline, first: false)
    }

    private static func readExactly(_ fd: Int32, _ count: Int, deadline: ContinuousClock.Instant?, first: Bool) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                let milliseconds = max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { throw Failure.timedOut }
            }
            let got = buffer[filled...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure.broken("read: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                if first && filled == 0 { return nil }
                throw Failure.closed(truncated: true)
            }
            filled += got
        }
        return buffer
    }
}

/// A child process with a framed request/reply channel on its standard input and output.
///
/// The child inherits standard error, so what a crashing child prints (a Swift runtime message) reaches the
/// parent's log. The parent must ignore `SIGPIPE` (a write to a dead child then fails instead of killing it).
final class WorkerProcess {
    /// How the child ended.
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signal(Int32)

        var description: String {
            switch self {
            case .exited(let code): return "exited with status \(code)"
            case .signal(let number): return "was killed by signal \(number)\(Self.signalNames[number].map { " (\($0))" } ?? "")"
            }
        }

        static let signalNames: [Int32: String] = [
            4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM",
        ]
    }

    /// Why a call got no reply; the child has been stopped and reaped.
    enum Failure: Error {
        /// The child ended (crashed) before replying.
        case ended(Ending)
        /// No reply before the deadline: the child was killed.
        case timedOut
        /// The child could not be started, or broke the protocol.
        case broken(String)
    }

    private static let spawnLock = NSLock()

    let pid: pid_t
    private let input: Int32
    private let output: Int32
    private(set) var ending: Ending?

    /// Starts `command` (an executable path and its arguments).
    init(command: [String]) throws {
        guard let executable = command.first else { throw Failure.broken("no worker command") }
        // Pipes are made close-on-exec under a lock, so a worker started meanwhile on another thread never inherits
        // this one's pipe ends (which would hide this worker's death from the parent).
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw Failure.broken("pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw Failure.broken("pipe: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw Failure.broken("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
    }

    deinit { stop() }

    /// Sends `request` and waits for the reply until `deadline` (nil: no limit). On any failure the child is
    /// stopped and reaped, and the failure says how it ended.
    func call(_ request: [UInt8], deadline: ContinuousClock.Instant?) throws -> [UInt8] {
        if let ending { throw Failure.ended(ending) }
        do {
            try Frames.writeFrame(request, to: input)
            if let reply = try Frames.readFrame(from: output, deadline: deadline) { return reply }
            stop()
        } catch Frames.Failure.timedOut {
            kill(pid, SIGKILL)
            stop()
            throw Failure.timedOut
        } catch Frames.Failure.broken(let message) {
            stop()
            throw Failure.broken(message)
        } catch {
            stop()
        }
        // The pipe closed: the child is gone.
        throw Failure.ended(ending ?? .exited(-1))
    }

    /// Closes the pipes, kills the child if it still runs, and reaps it.
    func stop() {
        guard ending == nil else { return }
        close(input)
        close(output)
        var status: Int32 = 0
        var reaped = waitpid(pid, &status, WNOHANG)
        if reaped == 0 {
            // Give a child that is exiting a moment before killing it (a crash report may still be written).
            for _ in 0..<20 where reaped == 0 {
                usleep(5_000)
                reaped = waitpid(pid, &status, WNOHANG)
            }
            if reaped == 0 {
                kill(pid, SIGKILL)
                reaped = waitpid(pid, &status, 0)
            }
        }
        let signal = status & 0x7F
        ending = reaped == pid && signal != 0 ? .signal(signal) : .exited((status >> 8) & 0xFF)
    }
}
