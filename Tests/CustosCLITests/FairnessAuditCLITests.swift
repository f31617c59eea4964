import Foundation
import Testing

@Suite("custos fairness audit (the executable)")
struct FairnessAuditCLITests {
    /// One bad input: its file contents, the extra flags, and what stderr must mention.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var flags: [String]
        var mentions: [String]
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing column", bytes: Array("y,p,g\n1,1,a\n0,0,b\n".utf8),
                 flags: ["--sensitive", "sex"], mentions: ["in.csv", "no column named 'sex'"]),
        BadInput(name: "non-binary label", bytes: Array("y,p,g\nyes,1,a\nno,0,b\n".utf8),
                 flags: ["--sensitive", "g"], mentions: ["in.csv", "column 'y'", "--positive-label"]),
        BadInput(name: "empty file", bytes: [], flags: ["--sensitive", "g"], mentions: ["in.csv", "empty"]),
        BadInput(name: "header only", bytes: Array("y,p,g\n".utf8), flags: ["--sensitive", "g"], mentions: ["in.csv", "no rows"]),
        BadInput(name: "unparsable score", bytes: Array("y,p,g,s\n1,1,a,0.5\n0,0,b,x\n".utf8),
                 flags: ["--sensitive", "g", "--score", "s"], mentions: ["in.csv:3", "row 2", "column 's'"]),
        BadInput(name: "invalid UTF-8", bytes: Array("y,p,g\n1,1,".utf8) + [0xFF] + Array("\n0,0,b\n".utf8),
                 flags: ["--sensitive", "g"], mentions: ["in.csv:2", "byte 10", "invalid UTF-8"]),
        BadInput(name: "one group only", bytes: Array("y,p,g\n1,1,a\n0,0,a\n".utf8),
                 flags: ["--sensitive", "g"], mentions: ["in.csv", "column 'g'", "one group"]),
        BadInput(name: "ragged row", bytes: Array("y,p,g\n1,1,a\n0,0\n".utf8),
                 flags: ["--sensitive", "g"], mentions: ["in.csv:3", "2 fields"]),
    ]

    @Test("bad input: one line on stderr naming file, row and column; exit 2; nothing written", arguments: badInputs)
    func badInput(_ input: BadInput) throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("in.csv")
        try Data(input.bytes).write(to: data)
        let out = dir.appendingPathComponent("report.json")
        let result = try CLIProcess.run(
            ["fairness", "audit", "--data", data.path, "--label", "y", "--prediction", "p", "--format", "json",
             "--out", out.path, "--bootstrap", "10"] + input.flags)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        for fragment in input.mentions {
            #expect(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.csv"])
    }

    @Test("a good run writes the JSON report atomically and --fail-on four-fifths exits 1")
    func goodRun() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("in.csv")
        let rows = (0..<100).map { i in "\(i % 2),\(i % 3 == 0 ? 1 : 0),\(i < 50 ? "a" : "b"),\(Double(i % 10) / 10)" }
        try ("y,p,g,s\n" + rows.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("report.json")
        let ok = try CLIProcess.run(["fairness", "audit", "--data", data.path, "--label", "y", "--prediction", "p",
                                     "--score", "s", "--sensitive", "g", "--format", "json", "--out", out.path, "--bootstrap", "20"])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        #expect((object?["groups"] as? [Any])?.count == 2)

        // Selection rates: a = 17/50, b = 17/50 → parity; make b never selected for a failing run.
        let skewed = (0..<100).map { i in "\(i % 2),\(i < 50 && i % 3 == 0 ? 1 : 0),\(i < 50 ? "a" : "b")" }
        try ("y,p,g\n" + skewed.joined(separator: "\n") + "\n").write(to: data, atomically: true, encoding: .utf8)
        let failing = try CLIProcess.run(["fairness", "audit", "--data", data.path, "--label", "y", "--prediction", "p",
                                          "--sensitive", "g", "--bootstrap", "0", "--fail-on", "four-fifths"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("disparate_impact"))
        #expect(failing.stderr.contains("four-fifths"))
    }

    @Test("usage errors exit 2")
    func usage() throws {
        #expect(try CLIProcess.run(["fairness", "audit"]).status == 2)
        #expect(try CLIProcess.run(["fairness", "audit", "--dataset", "nope"]).status == 2)
    }

    @Test("the HTML report is one self-contained page")
    func html() throws {
        let result = try CLIProcess.run(["fairness", "audit", "--dataset", "compas", "--format", "html", "--bootstrap", "50"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(result.stdout.contains("<svg"))
        #expect(!result.stdout.contains("<script src") && !result.stdout.contains("<link"))
        #expect(result.stdout.contains("African-American"))
    }
}
