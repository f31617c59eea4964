import Foundation
import Testing

/// A fresh PostgreSQL database per test, made with `psql` against `CUSTOS_TEST_POSTGRES_URL` (scripts/test starts a
/// throwaway server and sets it; without it these tests fail, never skip).
struct CLIPostgresDatabase {
    let name: String
    let url: String
    private let admin: String

    init() throws {
        guard let admin = ProcessInfo.processInfo.environment["CUSTOS_TEST_POSTGRES_URL"], !admin.isEmpty else {
            throw CLIPostgresError("CUSTOS_TEST_POSTGRES_URL is not set: these tests need a PostgreSQL server (scripts/test starts one)")
        }
        self.admin = admin
        name = "custos_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        guard var components = URLComponents(string: admin) else { throw CLIPostgresError("CUSTOS_TEST_POSTGRES_URL does not parse") }
        components.path = "/" + name
        url = components.string ?? admin
        try Self.psql(admin, "CREATE DATABASE \(name)")
    }

    /// Runs SQL in this test's database.
    func sql(_ statement: String) throws { try Self.psql(url, statement) }

    func drop() { try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    private static func psql(_ url: String, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIPostgresError("psql failed on `\(statement)`: \(String(decoding: message, as: UTF8.self))")
        }
    }
}

struct CLIPostgresError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("custos audit --store postgres:// (the executable)")
struct AuditPostgresCLITests {
    /// Starts `custos` with `stdin` written to it; the caller waits.
    func start(_ arguments: [String], stdin: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLIProcess.executable
        process.arguments = arguments
        let input = Pipe()
        let out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        return (process, out)
    }

    @Test("separate append processes writing one PostgreSQL log concurrently: verify accepts it with the total count; a tampered row is named by index")
    func concurrentProcesses() throws {
        let database = try CLIPostgresDatabase()
        defer { database.drop() }
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let store = ["--home", home.path, "--store", database.url]
        let initialized = try CLIProcess.run(["audit", "init"] + store)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let processes = 3
        let appendsEach = 4
        let batch = 500
        var running: [(Process, Pipe)] = []
        for p in 0..<processes {
            // Each process appends several batches, one `custos audit append` (one transaction) per batch.
            for a in 0..<appendsEach {
                let lines = (0..<batch).map { "{\"process\":\(p),\"append\":\(a),\"k\":\($0)}" }.joined(separator: "\n") + "\n"
                running.append(try start(["audit", "append", "--checkpoint-every", "700"] + store, stdin: lines))
            }
        }
        for (process, out) in running {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(String(decoding: stdout, as: UTF8.self))")
        }
        let total = processes * appendsEach * batch
        let verify = try CLIProcess.run(["audit", "verify", "--format", "json"] + store)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(report?["size"] as? Int == total)
        #expect(report?["ok"] as? Bool == true)
        let shown = try CLIProcess.run(["audit", "show", "--index", "\(total - 1)"] + store)
        #expect(shown.status == 0 && shown.stdout.contains("\"index\":\(total - 1)"), "\(shown.stderr)")
        let proof = try CLIProcess.run(["audit", "proof", "--index", "17"] + store)
        #expect(proof.status == 0 && proof.stdout.contains("\"size\":\(total)"), "\(proof.stderr)")

        try database.sql("""
            UPDATE custos_audit.entry SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), '"k":', '"K":'), 'UTF8') WHERE idx = 1234
            """)
        let tampered = try CLIProcess.run(["audit", "verify"] + store)
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("FAILED at index 1234"), "\(tampered.stdout)")
    }

    @Test("a malformed store URL is a usage error (exit 2); an unreachable server is exit 3 naming host and port")
    func storeErrors() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let malformed = try CLIProcess.run(["audit", "verify", "--home", home.path, "--store", "postgres://nobody:secret@/audit"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("names no host"), "\(malformed.stderr)")
        #expect(!malformed.stderr.contains("secret"))
        let unreachable = try CLIProcess.run(["audit", "init", "--home", home.path, "--store", "postgres://nobody@127.0.0.1:1/audit?sslmode=disable"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(unreachable.stderr)")
        // The failed init left no keys behind, so a retry is not blocked.
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("keys").path))
    }
}
