import Dispatch
import Foundation

/// Data-parallel loops over the machine's cores for CPU-bound numeric work.
public enum Parallel {
    /// Number of worker threads to use (`CUSTOS_THREADS` overrides the core count).
    public static var threadCount: Int { configuredThreadCount }

    /// Read once: the environment does not change under a running process, and reading it copies it.
    private static let configuredThreadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["CUSTOS_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// `(0..<count).map(body)` computed on all cores; the result does not depend on the thread count.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let box = ResultBox<T>(count: count)
        let workers = min(threadCount, count)
        if workers == 1 {
            for i in 0..<count { box.store(body(i), at: i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = worker
                while i < count {
                    box.store(body(i), at: i)
                    i += workers
                }
            }
        }
        return box.values()
    }
}

/// Pre-sized storage written at distinct indices from several threads.
private final class ResultBox<T>: @unchecked Sendable {
    // Each index is written by exactly one thread and read only after all writers finished.
    private let storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func store(_ value: T, at index: Int) { storage[index] = value }

    func values() -> [T] {
        let out = storage.compactMap { $0 }
        precondition(out.count == storage.count, "every index must have been written")
        return out
    }
}
