import Foundation
import Testing

@Suite("custos embed and similarity (the executable)")
struct EmbedCLITests {
    @Test("embed --file prints one JSON line per text with 384 unit-norm floats")
    func embedFile() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("lines.txt")
        try "The quick brown fox.\nCustos guards models.\n".write(to: input, atomically: true, encoding: .utf8)
        let result = try CLIProcess.run(["embed", "--file", input.path, "--format", "jsonl"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["index"] as? Int == i)
            let tokens = try #require(object["tokens"] as? [Int])
            #expect(tokens.first == 101 && tokens.last == 102)  // [CLS] … [SEP]
            let embedding = try #require(object["embedding"] as? [Double])
            #expect(embedding.count == 384)
            let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test("invalid UTF-8 in the input file is exit 2 naming the byte, and --out is not written")
    func invalidInput() throws {
        let dir = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("lines.txt")
        try Data(Array("ok\nbad ".utf8) + [0xC3, 0x28] + Array("\n".utf8)).write(to: input)
        let out = dir.appendingPathComponent("v.jsonl")
        let result = try CLIProcess.run(["embed", "--file", input.path, "--out", out.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("lines.txt"))
        #expect(result.stderr.contains("UTF-8"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("similar sentences score higher than unrelated ones")
    func similarity() throws {
        let near = try CLIProcess.run(["similarity", "A cat sits on the mat.", "A kitten is on the rug."])
        let far = try CLIProcess.run(["similarity", "A cat sits on the mat.", "Quarterly revenue rose by four percent."])
        #expect(near.status == 0 && far.status == 0)
        let a = try #require(Double(near.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let b = try #require(Double(far.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(a > b + 0.3)
    }
}
