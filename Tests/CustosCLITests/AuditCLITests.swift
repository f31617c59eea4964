import Foundation
import Testing

@Suite("custos audit (the executable)")
struct AuditCLITests {
    /// Runs `custos` with text on stdin.
    func run(_ arguments: [String], stdin: String) throws -> CLIProcess.Result {
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = arguments
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("init, append, checkpoint, verify; a malformed line is exit 2 naming it and appends nothing")
    func lifecycle() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(try CLIProcess.run(["audit", "init", "--home", home.path]).status == 0)
        #expect(try CLIProcess.run(["audit", "init", "--home", home.path]).status == 2)
        let appended = try run(["audit", "append", "--home", home.path], stdin: "{\"a\":1}\n{\"a\":2}\n")
        #expect(appended.status == 0 && appended.stdout.contains("\"size\":2"))
        let bad = try run(["audit", "append", "--home", home.path], stdin: "{\"a\":3}\n{not json\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("<stdin>:2"))
        let checkpoint = try CLIProcess.run(["audit", "checkpoint", "--home", home.path])
        #expect(checkpoint.stdout.hasPrefix("custos/audit\n2\n"))
        #expect(try CLIProcess.run(["audit", "verify", "--home", home.path]).status == 0)
    }

    @Test("a process killed with SIGKILL during heavy appends leaves a log that reopens and verifies, with no gap")
    func killDuringAppend() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(try CLIProcess.run(["audit", "init", "--home", home.path]).status == 0)
        let batch = (0..<20_000).map { "{\"request\":\($0),\"decision\":\"allow\"}" }.joined(separator: "\n") + "\n"
        for _ in 0..<3 {
            let process = Process()
            process.executableURL = CLIProcess.executable
            process.arguments = ["audit", "append", "--home", home.path]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(batch.utf8))
            try input.fileHandleForWriting.close()
            usleep(150_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let verify = try CLIProcess.run(["audit", "verify", "--home", home.path, "--format", "json"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        let size = try #require(report?["size"] as? Int)
        // Each append is one transaction: all of a batch or none of it.
        #expect(size % 20_000 == 0)
    }
}
