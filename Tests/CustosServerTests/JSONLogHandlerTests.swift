import CustosCore
import Foundation
import Logging
import Testing
@testable import CustosServer

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("a line is one JSON object with the record's fields and the metadata; nothing in a value can break the line")
    func line() throws {
        let time = Date(timeIntervalSince1970: 1_796_288_102.123_4)  // 2026-12-03T08:55:02.123Z
        var metadata: Logger.Metadata = [
            "request_id": "req_1", "route": .stringConvertible(42), "message": "a metadata key named like a field",
            "nested": .dictionary(["list": .array(["a", "b"])]),
        ]
        metadata["evil"] = "line\n{\"level\":\"critical\"}"
        let bytes = JSONLogHandler.line(time: time, level: .info, label: "custos.gateway", message: "request \"quoted\"\nnext",
                                        source: "CustosServer", metadata: metadata)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try JSONValue.parse(Array(bytes.dropLast()))
        #expect(object["time"] == .string("2026-12-03T08:55:02.123Z"))
        #expect(object["level"] == .string("info"))
        #expect(object["logger"] == .string("custos.gateway"))
        #expect(object["message"] == .string("request \"quoted\"\nnext"))
        #expect(object["source"] == .string("CustosServer"))
        #expect(object["request_id"] == .string("req_1"))
        #expect(object["route"] == .string("42"))
        #expect(object["metadata.message"] == .string("a metadata key named like a field"))
        #expect(object["nested"] == .object(["list": .array([.string("a"), .string("b")])]))
        #expect(object["evil"] == .string("line\n{\"level\":\"critical\"}"))
    }

    @Test("the handler writes lines at its level and above to its file, metadata set on the logger included")
    func handler() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("custos-log-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        let output = JSONLogOutput(fileDescriptor: fd)
        var logger = Logger(label: "test") { JSONLogHandler(label: $0, level: .notice, output: output) }
        logger[metadataKey: "hb.request.id"] = "abc"
        logger.info("dropped: below the level")
        logger.notice("kept", metadata: ["status": "200"])
        logger.error("also kept")
        close(fd)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONValue.parse(Array(lines[0].utf8))
        #expect(first["message"] == .string("kept"))
        #expect(first["level"] == .string("notice"))
        #expect(first["status"] == .string("200"))
        #expect(first["hb.request.id"] == .string("abc"))
        #expect(try JSONValue.parse(Array(lines[1].utf8))["level"] == .string("error"))
    }
}
