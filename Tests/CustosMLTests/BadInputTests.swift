import CustosCore
import CustosML
import Foundation
import Testing

@Suite("encoder bad input")
struct BadInputTests {
    @Test("empty text is an error unless allowed")
    func emptyText() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        #expect(throws: CustosError.self) { try embedder.embed("") }
        #expect(throws: CustosError.self) { try embedder.embed(["fine", " \u{200B} "]) }
        #expect(try embedder.embed("", options: .init(allowEmpty: true)).tokenIDs.count == 2)
        // No texts at all is no work, not a crash (a topic scanner with denied topics only embeds no allowed ones).
        #expect(try embedder.embed([String]()).isEmpty)
    }

    @Test("over-long text is truncated and reported")
    func overLong() throws {
        try #require(Fixtures.embedder != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let embedder = try #require(Fixtures.embedder)
        let result = try embedder.embed(String(repeating: "privacy matters ", count: 400))
        #expect(result.truncated)
        #expect(result.tokenIDs.count == 256)
        #expect(result.untruncatedTokenCount == 802)
    }

    @Test("invalid UTF-8 in an input file is an error naming the byte offset")
    func invalidUTF8() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/lines.txt"
        try Data([0x68, 0x69, 0x0A, 0xC3, 0x28]).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CustosError.self) { try FileInput.readText(path) }
        #expect(error.location?.byteOffset == 3)
    }

    /// A minimal safetensors file with the given header JSON and data bytes.
    private func safetensors(_ header: String, data: [UInt8], in directory: String) throws -> String {
        let path = directory + "/model.safetensors"
        let headerBytes = Array(header.utf8)
        var bytes: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(headerBytes.count) >> (8 * UInt64($0))) }
        bytes += headerBytes + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("F32, F16 and BF16 tensors are read as floats")
    func dtypes() throws {
        let directory = try Fixtures.temporaryDirectory()
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"c":{"dtype":"BF16","shape":[1,2],"data_offsets":[12,16]}}"#
        // a = [1.5, -2], b = [1, -0.5] (0x3C00, 0xB800), c = [1, -2] (0x3F80, 0xC000)
        let data: [UInt8] = [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0, 0x00, 0x3C, 0x00, 0xB8, 0x80, 0x3F, 0x00, 0xC0]
        let file = try SafeTensorsFile(path: safetensors(header, data: data, in: directory))
        #expect(try file.floats("a") == [1.5, -2])
        #expect(try file.floats("b") == [1, -0.5])
        #expect(try file.floats("c", shape: [1, 2]) == [1, -2])
    }

    @Test("a truncated safetensors file is an error naming the tensor")
    func truncatedFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let path = try safetensors(header, data: [0, 0, 0, 0], in: directory)
        let error = try #require(throws: CustosError.self) { try SafeTensorsFile(path: path) }
        #expect(error.message.contains("truncated") && error.message.contains("embeddings.word_embeddings.weight"))
    }

    @Test("a corrupt header and a header length past the end are errors")
    func corruptHeader() throws {
        let directory = try Fixtures.temporaryDirectory()
        let notJSON = try safetensors("{nope", data: [], in: directory)
        #expect(throws: CustosError.self) { try SafeTensorsFile(path: notJSON) }
        let path = directory + "/short.safetensors"
        try Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CustosError.self) { try SafeTensorsFile(path: path) }
        #expect(error.message.contains("truncated"))
        let mismatch = try safetensors(#"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8), in: directory)
        #expect(throws: CustosError.self) { try SafeTensorsFile(path: mismatch) }
    }

    @Test("a model directory with a missing or mis-shaped tensor names it")
    func missingTensor() throws {
        try #require(Fixtures.modelDirectory != nil, "a model asset or reference fixture is missing: run scripts/setup")
        let model = try #require(Fixtures.modelDirectory)
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(atPath: model + "/config.json", toPath: directory + "/config.json")
        try FileManager.default.copyItem(atPath: model + "/vocab.txt", toPath: directory + "/vocab.txt")
        _ = try safetensors(#"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                            data: Array(repeating: 0, count: 8), in: directory)
        let misShaped = try #require(throws: CustosError.self) { try Embedder(directory: directory) }
        #expect(misShaped.message.contains("embeddings.word_embeddings.weight") && misShaped.message.contains("[30522, 384]"))
        _ = try safetensors(#"{"other":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8), in: directory)
        let missing = try #require(throws: CustosError.self) { try Embedder(directory: directory) }
        #expect(missing.message.contains("no tensor 'embeddings.word_embeddings.weight'"))
    }
}

@Suite("encoder kernels")
struct KernelTests {
    @Test("polynomial exp is within 2 ulp-ish of Foundation's over the softmax range")
    func exp() {
        var worst: Float = 0
        for i in 0...20_000 {
            let x = -87 + Float(i) * 0.00875
            let expected = Foundation.exp(x)
            worst = max(worst, abs(VectorKernels.exp(x) - expected) / expected)
        }
        #expect(worst < 3e-7)
    }

    @Test("GELU matches 0.5·x·(1 + erf(x/√2)) to 2e-7 relative plus 1e-7 absolute")
    func gelu() {
        var values = (0...4000).map { -10 + Float($0) * 0.005 }
        let expected = values.map { Double($0) * 0.5 * (1 + Foundation.erf(Double($0) / 2.0.squareRoot())) }
        values.withUnsafeMutableBufferPointer { VectorKernels.gelu($0.baseAddress!, count: $0.count) }
        for (got, want) in zip(values, expected) {
            #expect(abs(Double(got) - want) <= 2e-7 * abs(want) + 1e-7)
        }
    }
}
