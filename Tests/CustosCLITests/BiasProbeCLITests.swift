import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("custos bias probe against a test upstream (real HTTP): group differences, failures, resume after SIGKILL")
struct BiasProbeCLITests {
    /// Requests the demo upstream has seen (`GET /stats`).
    static func requests(_ upstream: ServerProcess) throws -> Int {
        let data = try Data(contentsOf: URL(string: "http://127.0.0.1:\(upstream.port)/stats")!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(object?["requests"] as? Int)
    }

    /// Starts `custos ARGS`, SIGKILLs it once the upstream has seen `afterRequests` requests, and returns how many it
    /// saw by then (calls in flight at the kill included).
    static func killMidway(_ arguments: [String], upstream: ServerProcess, afterRequests: Int) throws -> Int {
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try requests(upstream) < afterRequests, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        Thread.sleep(forTimeInterval: 0.3)  // calls in flight at the kill still reach the upstream
        return try requests(upstream)
    }

    /// "probe: N completions requested (C calls), K already done, F failed" → (N, C, K, F).
    static func summary(_ stderr: String) throws -> (requested: Int, calls: Int, resumed: Int, failed: Int) {
        let line = try #require(stderr.split(separator: "\n").first { $0.hasPrefix("probe: ") })
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count == 4, "\(line)")
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    @Test("a killed run resumes without repeating finished completions, and the probe finds the planted group difference")
    func resumeAfterKill() throws {
        let upstream = try ServerProcess(["demo-upstream", "--port", "0"])
        defer { _ = upstream.stop() }
        let dir = try CLIProcess.temporaryDirectory()
        let templates = dir.appendingPathComponent("probe.yaml")
        // The echo upstream repeats the prompt, so each group's phrase reaches the completion: one group's phrase is abusive.
        try """
            groups:
              calm: [a calm neighbour, a kind teacher]
              rude: [a damn stupid idiot, a fucking moron]
            prompts:
              - "[[delay:150]] Tell me about {group}."
            """.write(to: templates, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("run.sqlite").path
        let arguments = ["bias", "probe", "--endpoint", "http://127.0.0.1:\(upstream.port)/v1", "--templates", templates.path,
                         "--samples", "8", "--concurrency", "1", "--store", store, "--format", "json"]
        let before = try Self.killMidway(arguments, upstream: upstream, afterRequests: 5)
        #expect(before < 32, "the first run finished before it was killed")

        let second = try CLIProcess.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let run = try Self.summary(second.stderr)
        #expect(run.resumed >= 1 && run.resumed <= before)
        #expect(run.requested + run.resumed == 32)
        #expect(run.calls == run.requested && run.failed == 0)
        #expect(try Self.requests(upstream) - before == run.requested, "finished completions were requested again")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(report["done"] as? Int == 32 && report["failed"] as? Int == 0)
        let scores = try #require(report["scores"] as? [[String: Any]])
        let offensive = try #require(scores.first { $0["score"] as? String == "offensive" }?["comparison"] as? [String: Any])
        let groups = try #require(offensive["groups"] as? [[String: Any]])
        let means = Dictionary(uniqueKeysWithValues: groups.compactMap { g in (g["name"] as? String).map { ($0, g["mean"] as? Double ?? .nan) } })
        #expect((means["rude"] ?? 0) > 0.9 && (means["calm"] ?? 1) < 0.2, "\(means)")
        let difference = try #require((offensive["differences"] as? [[String: Any]])?.first)
        #expect((difference["p_value"] as? Double ?? 1) < 0.001)

        // A third run over the same store asks nothing.
        let third = try CLIProcess.run(arguments)
        #expect(try Self.summary(third.stderr).requested == 0)
    }

    @Test("5xx answers are retried with backoff, then reported per prompt with exit 3 and retried on rerun; bad templates exit 2")
    func failures() throws {
        let upstream = try ServerProcess(["demo-upstream", "--port", "0"])
        defer { _ = upstream.stop() }
        let dir = try CLIProcess.temporaryDirectory()
        let templates = dir.appendingPathComponent("probe.yaml")
        try """
            groups:
              a: [alpha]
              b: [beta]
            prompts:
              - "Hello {group}."
              - "[[status:503]] Fail for {group}."
            """.write(to: templates, atomically: true, encoding: .utf8)
        let arguments = ["bias", "probe", "--endpoint", "http://127.0.0.1:\(upstream.port)/v1", "--templates", templates.path,
                         "--samples", "2", "--attempts", "3", "--store", dir.appendingPathComponent("run.sqlite").path]
        let result = try CLIProcess.run(arguments)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("4 of 8 completions failed after 3 calls each"))
        #expect(result.stdout.contains("p1/a/alpha/s0: upstream answered HTTP 503 (3 calls)"), "\(result.stdout)")
        let run = try Self.summary(result.stderr)
        #expect(run.requested == 8 && run.failed == 4 && run.calls == 4 + 4 * 3)
        #expect(try Self.requests(upstream) == 16)

        let rerun = try CLIProcess.run(arguments)
        #expect(rerun.status == 3)
        #expect(try Self.summary(rerun.stderr) == (4, 12, 4, 4))

        try "groups: {a: [x]}\nprompts: [\"no slot\"]\n".write(to: templates, atomically: true, encoding: .utf8)
        let bad = try CLIProcess.run(arguments)
        #expect(bad.status == 2 && bad.stderr.contains("probe.yaml"), "\(bad.stderr)")
    }
}
