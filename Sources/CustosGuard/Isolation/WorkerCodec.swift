import CustosCore

/// The binary form of the per-text messages between a pipeline and its workers. JSON (Foundation's coders) cost
/// more than scanning a short text; this is a plain little-endian layout:
/// - request: side (`0` input, `1` output), then the text's UTF-8 bytes;
/// - reply: `0` then a `Screening`, or `1` then an error message;
/// - screening: reports (count, then each: scanner, score, threshold, fired, action, findings, error, seconds), then
///   the invisible findings; a finding is start, end, type, optional score; strings are a 32-bit length and UTF-8.
enum WorkerCodec {
    static func request(_ text: String, side: ScanSide) -> [UInt8] {
        var out: [UInt8] = [side == .input ? 0 : 1]
        out.reserveCapacity(text.utf8.count + 1)
        out.append(contentsOf: text.utf8)
        return out
    }

    static func decodeRequest(_ bytes: [UInt8]) throws -> (text: String, side: ScanSide) {
        guard let first = bytes.first, first <= 1 else { throw CustosError(.invalidInput, "malformed worker request") }
        let body = bytes.dropFirst()
        guard let text = String(validating: body, as: UTF8.self) else {
            throw CustosError(.invalidInput, "worker request text is not valid UTF-8")
        }
        return (text, first == 0 ? .input : .output)
    }

    static func reply(_ result: Result<Screening, WorkerFailure>) -> [UInt8] {
        var writer = Writer()
        switch result {
        case .success(let screening):
            writer.byte(0)
            writer.count(screening.reports.count)
            for report in screening.reports {
                writer.string(report.scanner)
                writer.double(report.score)
                writer.double(report.threshold)
                writer.byte(report.fired ? 1 : 0)
                writer.string(report.action.rawValue)
                writer.findings(report.findings)
                writer.byte(report.error == nil ? 0 : 1)
                if let error = report.error { writer.string(error) }
                writer.double(report.seconds)
            }
            writer.findings(screening.invisible)
        case .failure(let failure):
            writer.byte(1)
            writer.string(failure.message)
        }
        return writer.bytes
    }

    static func decodeReply(_ bytes: [UInt8]) throws -> Result<Screening, WorkerFailure> {
        var reader = Reader(bytes: bytes)
        if try reader.byte() == 1 { return .failure(WorkerFailure(message: try reader.string())) }
        var reports: [ScannerReport] = []
        for _ in 0..<(try reader.count()) {
            let scanner = try reader.string()
            let score = try reader.double()
            let threshold = try reader.double()
            let fired = try reader.byte() == 1
            guard let action = GuardAction(rawValue: try reader.string()) else { throw Reader.malformed }
            let findings = try reader.findings()
            let error = try reader.byte() == 1 ? try reader.string() : nil
            let seconds = try reader.double()
            reports.append(ScannerReport(scanner: scanner, score: score, threshold: threshold, fired: fired, action: action,
                                         findings: findings, error: error, seconds: seconds))
        }
        let invisible = try reader.findings()
        guard reader.atEnd else { throw Reader.malformed }
        return .success(Screening(reports: reports, invisible: invisible))
    }

    private struct Writer {
        var bytes: [UInt8] = []
        mutating func byte(_ b: UInt8) { bytes.append(b) }
        mutating func count(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func int(_ n: Int) { withUnsafeBytes(of: Int64(n).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func double(_ d: Double) { withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func string(_ s: String) {
            count(s.utf8.count)
            bytes.append(contentsOf: s.utf8)
        }
        mutating func findings(_ findings: [Finding]) {
            count(findings.count)
            for finding in findings {
                int(finding.start)
                int(finding.end)
                string(finding.type)
                byte(finding.score == nil ? 0 : 1)
                if let score = finding.score { double(score) }
            }
        }
    }

    private struct Reader {
        static let malformed = CustosError(.internal, "malformed reply from a scanner worker")
        let bytes: [UInt8]
        var offset = 0
        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - offset else { throw Self.malformed }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }
        mutating func byte() throws -> UInt8 { try take(1).first ?? 0 }
        mutating func fixed(_ n: Int) throws -> UInt64 {
            try take(n).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        mutating func count() throws -> Int { Int(try fixed(4)) }
        mutating func int() throws -> Int { Int(Int64(bitPattern: try fixed(8))) }
        mutating func double() throws -> Double { Double(bitPattern: try fixed(8)) }
        mutating func string() throws -> String {
            guard let s = String(validating: try take(try count()), as: UTF8.self) else { throw Self.malformed }
            return s
        }
        mutating func findings() throws -> [Finding] {
            var out: [Finding] = []
            for _ in 0..<(try count()) {
                let start = try int()
                let end = try int()
                let type = try string()
                let score = try byte() == 1 ? try double() : nil
                out.append(Finding(start: start, end: end, type: type, score: score))
            }
            return out
        }
    }
}
