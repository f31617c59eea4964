import Dispatch
import NIOCore
import NIOPosix
import CustosCore
import CustosGuard
import Testing
@testable import CustosServer

@Suite("Gateway executors: requests on their event loop, heavy work off it")
struct GatewayExecutorsTests {
    /// Resumes on a Dispatch thread, as an audit write's completion does.
    private static func resumeFromDispatch() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2)) { continuation.resume() }
        }
    }

    @Test("a task pinned to a loop runs there, and comes back to it after an await that another thread completes")
    func pinned() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let executors = GatewayExecutors(group: group)
        #expect(executors.home() == nil)  // a test thread is no loop
        let loops = Array(group.makeIterator())
        for loop in loops {
            // Under the server executor, a job enqueued from a loop stays on that loop: `home()` is that loop's.
            let (sameLoop, afterAwait) = try await loop.submit {
                Task(executorPreference: executors.server) { () async -> (Bool, Bool) in
                    guard let home = executors.home() else { return (false, false) }
                    return await withTaskExecutorPreference(home) {
                        let before = MultiThreadedEventLoopGroup.currentEventLoop
                        await Self.resumeFromDispatch()
                        let after = MultiThreadedEventLoopGroup.currentEventLoop
                        return (before === loop, after === loop)
                    }
                }
            }.get().value
            #expect(sameLoop)
            #expect(afterAwait)
        }
        try await group.shutdownGracefully()
    }

    @Test("off-loop work runs on no event loop")
    func offLoop() async {
        let executors = GatewayExecutors(group: .singleton)
        let onLoop = await withTaskExecutorPreference(executors.offLoop) {
            await Self.resumeFromDispatch()
            return MultiThreadedEventLoopGroup.currentEventLoop != nil
        }
        #expect(!onLoop)
    }
}

@Suite("Which policies screen light enough for an event loop")
struct PipelineLightnessTests {
    @Test("pattern and lexicon scanners are light; the default gateway policy (jailbreak embeddings) is not")
    func lightness() throws {
        let patterns = try PolicyLoader.parse("""
            input:
              - scanner: offensive
                action: flag
              - scanner: pii
                action: redact
            output:
              - scanner: exfiltration
                action: block
              - scanner: banned_words
                action: block
                options:
                  words: ["forbidden-term"]
            """)
        #expect(try Pipeline(policy: patterns).isLight)
        let gatewayDefault = try PolicyLoader.parse(GatewayConfiguration.defaultPolicyYAML)
        #expect(!(try Pipeline(policy: gatewayDefault).isLight))
        let topics = try PolicyLoader.parse("""
            output:
              - scanner: topic
                action: flag
                options:
                  denied: [weapons]
            """)
        #expect(!(try Pipeline(policy: topics).isLight))
    }
}
