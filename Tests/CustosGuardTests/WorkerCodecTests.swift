import CustosCore
@testable import CustosGuard
import Testing

/// The binary messages between a pipeline and its scanner workers.
@Suite("Scanner worker messages")
struct WorkerCodecTests {
    @Test("a request and a screening survive the round trip exactly: errors, optional scores, non-ASCII text")
    func roundTrip() throws {
        let text = "café 🧪 AKIA\u{200B}"
        let request = try WorkerCodec.decodeRequest(WorkerCodec.request(text, side: .output))
        #expect(request.text == text && request.side == .output)
        let screening = Screening(
            reports: [
                ScannerReport(scanner: "pii", score: 0.85, threshold: 0.5, fired: true, action: .redact,
                              findings: [Finding(start: 0, end: 4, type: "PERSON", score: 0.85)], error: nil, seconds: 1.5e-5),
                ScannerReport(scanner: "jailbreak", score: 0, threshold: 0.3, fired: true, action: .block, findings: [],
                              error: "missing asset: minilm — run the setup command", seconds: 0),
                ScannerReport(scanner: "offensive", score: 0.25, threshold: 0.8, fired: false, action: .flag,
                              findings: [Finding(start: 5, end: 7, type: "offensive")], error: nil, seconds: 3e-6),
            ],
            invisible: [Finding(start: 11, end: 12, type: "zero_width")])
        #expect(try WorkerCodec.decodeReply(WorkerCodec.reply(.success(screening))).get() == screening)
        let failed = try WorkerCodec.decodeReply(WorkerCodec.reply(.failure(WorkerFailure(message: "text too large"))))
        if case .failure(let failure) = failed { #expect(failure.message == "text too large") } else { Issue.record("expected a failure") }
    }

    @Test("truncated or malformed messages are errors, not crashes")
    func malformed() throws {
        let reply = WorkerCodec.reply(.success(Screening(reports: [ScannerReport(scanner: "secrets", score: 1, threshold: 0.5, fired: true,
            action: .redact, findings: [Finding(start: 1, end: 2, type: "aws")], error: nil, seconds: 0)], invisible: [])))
        for cut in [1, 5, reply.count / 2, reply.count - 1] {
            #expect(throws: CustosError.self) { try WorkerCodec.decodeReply(Array(reply.prefix(cut))) }
        }
        #expect(throws: CustosError.self) { try WorkerCodec.decodeReply(reply + [0]) }
        #expect(throws: CustosError.self) { try WorkerCodec.decodeRequest([7, 65]) }
        #expect(throws: CustosError.self) { try WorkerCodec.decodeRequest([0, 0xFF]) }
        #expect(throws: CustosError.self) { try WorkerCodec.decodeRequest([]) }
    }
}
