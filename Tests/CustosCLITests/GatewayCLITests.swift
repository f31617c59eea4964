import Foundation
import Testing

/// A `custos` process that keeps running (`serve`, `demo-upstream`), with its stderr in a file.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched from the test that owns it.
    let process: Process
    let log: URL
    let port: Int

    /// Starts `custos ARGS` and waits (up to 120 s) for its "listening on http://HOST:PORT" line.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("custos-server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on http://[0-9.]+:([0-9]+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last ?? "")
            }
        }
        guard let found else {
            process.terminate()
            throw CLIError.notStarted(arguments.first ?? "", (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
        port = found
    }

    var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    enum CLIError: Error { case notStarted(String, String) }
}

@Suite("custos serve, keys and demo-upstream as processes, driven by the official OpenAI SDK")
struct GatewayCLITests {
    /// The Python with the `openai` package that scripts/setup installs (.venv-sdk), or $CUSTOS_TEST_OPENAI_PYTHON.
    static var sdkPython: String? {
        if let path = ProcessInfo.processInfo.environment["CUSTOS_TEST_OPENAI_PYTHON"] { return path }
        let venv = FileManager.default.currentDirectoryPath + "/.venv-sdk/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    static func home() throws -> URL {
        let home = try CLIProcess.temporaryDirectory()
        let env = ProcessInfo.processInfo.environment
        let real = env["CUSTOS_HOME"] ?? ((env["HOME"] ?? "/root") + "/.custos")
        try FileManager.default.createSymbolicLink(at: home.appendingPathComponent("assets"),
                                                   withDestinationURL: URL(fileURLWithPath: real).appendingPathComponent("assets"))
        return home
    }

    @Test("the OpenAI Python SDK works unchanged through the gateway: chat, streams, moderation, embeddings, errors")
    func openAISDK() throws {
        let python = try #require(Self.sdkPython, "no Python with the openai SDK: run scripts/setup (it creates .venv-sdk)")
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(at: home) }
        let policy = home.appendingPathComponent("policy.yaml")
        try """
            name: sdk-test
            input:
              - scanner: secrets
                action: block
              - scanner: pii
                action: pseudonymize
              - scanner: offensive
                action: flag
                threshold: 0.8
              - scanner: jailbreak
                action: block
                threshold: 0.5
            output:
              - scanner: banned_words
                action: block
                options:
                  words: ["forbidden-term"]
            """.write(to: policy, atomically: true, encoding: .utf8)
        let created = try CLIProcess.run(["keys", "create", "--name", "sdk", "--home", home.path, "--format", "json"])
        #expect(created.status == 0, "\(created.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any]
        let key = try #require(json?["key"] as? String)
        #expect(json?["name"] as? String == "sdk")
        #expect(json?["role"] as? String == "client")
        let duplicate = try CLIProcess.run(["keys", "create", "--name", "sdk", "--home", home.path])
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("already exists"))

        let upstream = try ServerProcess(["demo-upstream", "--port", "0"])
        defer { _ = upstream.stop() }
        let gateway = try ServerProcess(["serve", "--port", "0", "--home", home.path, "--policy", policy.path,
                                         "--upstream", "http://127.0.0.1:\(upstream.port)/v1", "--log-level", "warning"])
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["Tests/SDK/openai_sdk_check.py", "--base-url", "http://127.0.0.1:\(gateway.port)/v1", "--key", key]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(output)\n--- gateway stderr ---\n\(gateway.stderr)")
        #expect(output.contains("all checks passed"))

        // SIGTERM drains and exits cleanly; the log it wrote verifies.
        #expect(gateway.stop() == 0, "\(gateway.stderr)")
        #expect(gateway.stderr.contains("custos serve: stopped"))
        let verify = try CLIProcess.run(["audit", "verify", "--home", home.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("serve refuses a bad configuration before listening")
    func badConfiguration() throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(at: home) }
        let config = home.appendingPathComponent("custos.yaml")
        try "port: 8080\nupstream_timeout_seconds: soon\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try CLIProcess.run(["serve", "--config", config.path, "--home", home.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("custos.yaml:2"))
        let url = try CLIProcess.run(["serve", "--upstream", "localhost:8000", "--home", home.path])
        #expect(url.status == 2)
        #expect(url.stderr.contains("not an http(s) URL"))
    }
}
