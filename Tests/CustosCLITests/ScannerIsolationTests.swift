import CustosCore
import CustosGuard
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Policies with `isolation: process`: scanners in `custos guard worker` processes (the built executable).
@Suite("Scanner isolation (worker processes)")
struct ScannerIsolationTests {
    static func environment() -> ScannerEnvironment {
        let home = CustosHome(path: nil)
        return ScannerEnvironment(home: home, workerCommand: [CLIProcess.executable.path, "guard", "worker", "--home", home.root.path])
    }

    static func policy(failMode: String = "closed", timeout: Double = 60) throws -> Policy {
        try PolicyLoader.parse("""
            name: isolated
            fail_mode: \(failMode)
            isolation:
              mode: process
              workers: 1
              timeout_seconds: \(timeout)
            input:
              - scanner: secrets
                action: redact
              - scanner: pii
                action: redact
              - scanner: offensive
                action: flag
                threshold: 0.8
            """)
    }

    /// A decision without its timings.
    static func untimed(_ decision: Decision) -> Decision {
        var copy = decision
        copy.seconds = 0
        copy.scanners = copy.scanners.map { report in
            var r = report
            r.seconds = 0
            return r
        }
        return copy
    }

    @Test("decisions made in a worker equal the in-process ones")
    func sameDecisions() throws {
        let policy = try Self.policy()
        let isolated = try Pipeline(policy: policy, environment: Self.environment())
        var plainPolicy = policy
        plainPolicy.isolation = nil
        let plain = try Pipeline(policy: plainPolicy, environment: Self.environment())
        let texts = [
            "Please call Linda Brown at +1 415 555 0132 tomorrow.", "AWS_ACCESS_KEY_ID=AKIATDNLUG3VVJAFR7LA",
            "you are a fucking idiot", "a plain sentence", "ze\u{200B}ro wi\u{200B}dth and ДАННЫЕ",
        ]
        for text in texts {
            var expected = Self.untimed(try plain.scan(text))
            expected.policyVersion = isolated.policyVersion
            #expect(Self.untimed(try isolated.scan(text)) == expected, "\(text)")
        }
        #expect(isolated.workerProcessIDs.count == 1)
    }

    @Test("a worker killed by a signal fails only the text it was given (fail closed blocks, fail open lets it through, both name the signal); a new worker takes the next text")
    func crash() throws {
        for mode in ["closed", "open"] {
            let pipeline = try Pipeline(policy: try Self.policy(failMode: mode), environment: Self.environment())
            let before = pipeline.workerProcessIDs
            try #require(before.count == 1)
            kill(before[0], SIGKILL)  // as the OOM killer would; a trap in a scanner ends the worker the same way
            let failed = try pipeline.scan("AWS_ACCESS_KEY_ID=AKIATDNLUG3VVJAFR7LA")
            #expect(failed.action == (mode == "closed" ? .block : .allow), "\(mode)")
            #expect(failed.scanners.count == 3)
            for report in failed.scanners {
                #expect(report.error?.contains("was killed by signal 9 (SIGKILL)") == true, "\(report.error ?? "no error")")
            }
            let next = try pipeline.scan("AWS_ACCESS_KEY_ID=AKIATDNLUG3VVJAFR7LA")
            #expect(next.action == .redact)
            #expect(next.sanitized == "AWS_ACCESS_KEY_ID=[AWS_ACCESS_KEY_ID]")
            #expect(next.scanners.allSatisfy { $0.error == nil })
            let after = pipeline.workerProcessIDs
            #expect(after.count == 1 && after != before)
        }
    }

    @Test("a text whose scan runs past the time limit is blocked and its worker replaced")
    func timeLimit() throws {
        let pipeline = try Pipeline(policy: try Self.policy(timeout: 0.2), environment: Self.environment())
        // About 7 MB of prose: seconds of scanning, far over the 0.2 s limit.
        let long = String(repeating: "Linda Brown wrote to John Smith about water and the school in Springfield. ", count: 95_000)
        let decision = try pipeline.scan(long)
        #expect(decision.action == .block)
        #expect(decision.scanners.allSatisfy { $0.error?.contains("ran past the time limit of 0.2 s") == true },
                "\(decision.scanners.map { $0.error ?? "none" })")
        #expect(try pipeline.scan("a short note").action == .allow)
    }

    @Test("a worker command that cannot run is an error at startup, naming the command")
    func badCommand() throws {
        let environment = ScannerEnvironment(home: CustosHome(path: nil), workerCommand: ["/nonexistent/custos", "guard", "worker"])
        let error = #expect(throws: CustosError.self) { try Pipeline(policy: try Self.policy(), environment: environment) }
        #expect(error?.message.contains("/nonexistent/custos") == true, "\(error?.description ?? "")")
    }
}
