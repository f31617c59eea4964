import CustosCore
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The start-up messages between a pipeline and its scanner workers (JSON in `Frames`).
enum WorkerMessage {
    /// First frame to a worker: the policy to build.
    struct Hello: Codable {
        var policy: Policy
        var strict: Bool
    }

    /// A worker's answer to `Hello`: its stages' thresholds, or why it could not build them.
    struct Ready: Codable {
        var input: [Double] = []
        var output: [Double] = []
        var error: String?
        var code: String?
    }

    // Each text and its screening then travel in `WorkerCodec`'s binary form.
}

/// Runs a policy's scanners in worker processes (`custos guard worker`), one text per worker at a time, so that
/// a scanner that crashes (a Swift trap, a signal) or runs past the policy's time limit fails **that text** —
/// by the policy's fail mode — instead of taking the process down. The worker is then replaced.
///
/// Workers are started on demand up to `count`; the first is started by `init`, so a bad command or policy
/// fails at startup with the worker's message.
final class ScannerWorkers: @unchecked Sendable {
    // @unchecked: `idle` is only touched under `lock`; a worker taken out of `idle` is used by one caller only.
    /// Each side's stage thresholds, as the worker built them (for reports of texts that failed).
    let thresholds: [ScanSide: [Double]]
    /// How long one text may take.
    let timeout: Duration?
    private let command: [String]
    private let hello: [UInt8]
    private let lock = NSLock()
    private let slots: DispatchSemaphore
    private var idle: [WorkerProcess?]

    /// Starts the first of `count` workers running `command` for `policy`.
    init(command: [String], policy: Policy, strict: Bool, count: Int, timeout: Duration?) throws {
        // A write to a worker that just died must fail, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        self.command = command
        self.timeout = timeout
        hello = Array(try JSONEncoder().encode(WorkerMessage.Hello(policy: policy, strict: strict)))
        let (first, ready) = try Self.start(command, hello: hello)
        thresholds = [.input: ready.input, .output: ready.output]
        idle = [first] + Array(repeating: nil, count: max(0, count - 1))
        slots = DispatchSemaphore(value: max(1, count))
    }

    /// Starts one worker and waits for its `Ready`.
    private static func start(_ command: [String], hello: [UInt8]) throws -> (WorkerProcess, WorkerMessage.Ready) {
        let worker: WorkerProcess
        let reply: [UInt8]
        do {
            worker = try WorkerProcess(command: command)
            // Building the scanners may load models: allow a minute.
            reply = try worker.call(hello, deadline: .now + .seconds(60))
        } catch let failure as WorkerProcess.Failure {
            throw CustosError(.internal, "the scanner worker (\(command.joined(separator: " "))) did not start: \(Self.describe(failure))")
        }
        let ready = try JSONDecoder().decode(WorkerMessage.Ready.self, from: Data(reply))
        if let error = ready.error {
            worker.stop()
            throw CustosError(ready.code.flatMap(CustosError.Code.init(rawValue:)) ?? .invalidInput, error)
        }
        return (worker, ready)
    }

    /// Screens `text` in a worker. A failure (crash, time limit, worker that cannot start) is returned as a message
    /// for the stage reports; the worker involved is stopped and replaced on next use.
    func screen(_ text: String, side: ScanSide) -> Result<Screening, WorkerFailure> {
        slots.wait()
        defer { slots.signal() }
        lock.lock()
        var worker = idle.popLast() ?? nil
        lock.unlock()
        defer {
            lock.lock()
            idle.append(worker?.ending == nil ? worker : nil)
            lock.unlock()
        }
        if worker == nil {
            do {
                worker = try Self.start(command, hello: hello).0
            } catch {
                return .failure(WorkerFailure(message: "the scanner worker could not be restarted: \(error)"))
            }
        }
        guard let running = worker else { return .failure(WorkerFailure(message: "no scanner worker")) }
        do {
            return try WorkerCodec.decodeReply(try running.call(WorkerCodec.request(text, side: side), deadline: timeout.map { .now + $0 }))
        } catch let failure as WorkerProcess.Failure {
            return .failure(WorkerFailure(message: Self.describe(failure, timeout: timeout)))
        } catch {
            running.stop()
            return .failure(WorkerFailure(message: "the scanner worker broke the protocol: \(error)"))
        }
    }

    static func describe(_ failure: WorkerProcess.Failure, timeout: Duration? = nil) -> String {
        switch failure {
        case .ended(let ending): return "the scanner worker \(ending) while scanning this text (it is replaced for the next text)"
        case .timedOut:
            let limit = timeout.map { " of \(Pipeline.seconds($0)) s" } ?? ""
            return "the scanners ran past the time limit\(limit) on this text; their worker was stopped"
        case .broken(let message): return "the scanner worker failed: \(message)"
        }
    }

    /// The pids of the running workers (for tests and diagnostics).
    var runningPIDs: [Int32] {
        lock.lock()
        defer { lock.unlock() }
        return idle.compactMap { $0?.ending == nil ? $0?.pid : nil }
    }
}

/// Why a worker produced no screening.
struct WorkerFailure: Error {
    var message: String
}

/// The worker's side: `custos guard worker` calls `serve`.
public enum ScannerWorker {
    /// Reads a policy, then screens texts until its input ends; frames on standard input and output. Returns the
    /// process exit status. Anything else written to standard output goes to standard error.
    public static func serve(environment: ScannerEnvironment) -> Int32 {
        let channel = dup(1)
        dup2(2, 1)
        do {
            guard let first = try Frames.readFrame(from: 0) else { return 0 }
            let hello = try JSONDecoder().decode(WorkerMessage.Hello.self, from: Data(first))
            var policy = hello.policy
            policy.isolation = nil
            let pipeline: Pipeline
            do {
                pipeline = try Pipeline(policy: policy, environment: environment, strict: hello.strict)
            } catch let error as CustosError {
                let ready = WorkerMessage.Ready(error: error.description, code: error.code.rawValue)
                try Frames.writeFrame(Array(try JSONEncoder().encode(ready)), to: channel)
                return 1
            }
            let ready = WorkerMessage.Ready(input: pipeline.thresholds(.input), output: pipeline.thresholds(.output))
            try Frames.writeFrame(Array(try JSONEncoder().encode(ready)), to: channel)
            while let frame = try Frames.readFrame(from: 0) {
                let request = try WorkerCodec.decodeRequest(frame)
                let result: Result<Screening, WorkerFailure>
                do {
                    result = .success(try pipeline.screenInProcess(request.text, side: request.side))
                } catch {
                    result = .failure(WorkerFailure(message: (error as? CustosError)?.description ?? "\(error)"))
                }
                try Frames.writeFrame(WorkerCodec.reply(result), to: channel)
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("custos guard worker: \(error)\n".utf8))
            return 1
        }
    }
}
