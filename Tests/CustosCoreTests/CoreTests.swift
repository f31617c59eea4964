import CustosCore
import Foundation
import Testing

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    @Test("valid multi-byte text passes; overlongs, surrogates and truncation are caught at their first byte")
    func cases() {
        #expect(UTF8Validation.firstInvalidOffset(Array("aé中😀".utf8)) == nil)
        #expect(UTF8Validation.firstInvalidOffset([0x61, 0xC0, 0x80]) == 1)  // overlong NUL
        #expect(UTF8Validation.firstInvalidOffset([0xED, 0xA0, 0x80]) == 0)  // surrogate U+D800
        #expect(UTF8Validation.firstInvalidOffset([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(UTF8Validation.firstInvalidOffset([0x61, 0x62, 0xE4, 0xB8]) == 2)  // truncated
        #expect(UTF8Validation.firstInvalidOffset([0x80]) == 0)  // lone continuation
    }
}

@Suite("JSON Lines")
struct JSONLTests {
    struct Row: Decodable { var text: String }

    @Test("each line decodes; a bad line is an error naming it")
    func decode() throws {
        let rows = try JSONLReader.decode(Row.self, from: Array("{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n".utf8))
        #expect(rows.map(\.text) == ["a", "b"])
        let error = try #require(throws: CustosError.self) {
            try JSONLReader.decode(Row.self, from: Array("{\"text\":\"a\"}\n{\"txt\":1}\n".utf8), source: "x.jsonl")
        }
        #expect(error.location?.line == 2)
        #expect(error.location?.file == "x.jsonl")
    }

    @Test("flat objects become a typed table")
    func table() throws {
        let table = try JSONLReader.table(Array("{\"y\":1,\"g\":\"a\"}\n{\"y\":0,\"g\":null}\n".utf8))
        #expect(try table.column(named: "y").values == .int([1, 0]))
        #expect(try table.column(named: "g").values == .string(["a", nil]))
    }
}

@Suite("Seeded random source")
struct SeededGeneratorTests {
    @Test("the same seed and stream give the same sequence; different streams differ")
    func reproducible() {
        var a = SeededGenerator(seed: 42, stream: 3)
        var b = SeededGenerator(seed: 42, stream: 3)
        var c = SeededGenerator(seed: 42, stream: 4)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
    }

    @Test("bounded integers stay in range and cover it roughly uniformly")
    func bounded() {
        var rng = SeededGenerator(seed: 7)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[rng.nextIndex(below: 6)] += 1 }
        // Each count is Binomial(60000, 1/6): sd ≈ 91; ±600 is > 6 sd.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 600 })
    }
}

@Suite("Atomic file output")
struct FileOutputTests {
    @Test("writing replaces the whole file and leaves no temporary behind")
    func atomicWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.txt").path
        try FileInput.writeAtomically("first", to: path)
        try FileInput.writeAtomically("second", to: path)
        #expect(try FileInput.readText(path) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
    }

    @Test("a missing directory is an error and nothing is created")
    func missingDirectory() throws {
        let error = try #require(throws: CustosError.self) {
            try FileInput.writeAtomically("x", to: "/nonexistent-custos-dir/out.txt")
        }
        #expect(error.code == .io)
    }
}
