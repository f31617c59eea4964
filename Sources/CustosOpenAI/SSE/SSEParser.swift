import CustosCore

/// One server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field, when set.
    public var event: String?
    /// The `data:` lines joined by `\n`, as bytes (not checked for UTF-8 here).
    public var data: [UInt8]
    /// The `id:` field, when set.
    public var id: String?

    /// An event.
    public init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// Whether this is OpenAI's end-of-stream marker `data: [DONE]`.
    public var isDone: Bool { data == Array("[DONE]".utf8) }
}

/// An incremental parser of `text/event-stream` (the WHATWG HTML "event stream interpretation"): lines end with
/// CRLF, LF or CR (a CRLF split across two reads is one line end); `:` lines are comments; `data` lines
/// accumulate; a blank line dispatches the event; unknown fields are ignored. Feeding the same bytes in any
/// split gives the same events. Bounded: a line or an event over `maximumEventBytes` is an error, so a peer
/// that never ends a line cannot grow memory without limit.
public struct SSEParser: Sendable {
    /// Largest event (and line) accepted, in bytes.
    public let maximumEventBytes: Int
    private var line: [UInt8] = []
    private var afterCR = false
    private var data: [UInt8] = []
    private var hasData = false
    private var event: String?
    private var id: String?
    private var offset = 0

    /// A parser with a size bound (default 4 MiB).
    public init(maximumEventBytes: Int = 4 << 20) {
        self.maximumEventBytes = maximumEventBytes
    }

    /// Feeds the next bytes of the stream; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            defer { offset += 1 }
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                afterCR = true
                if let e = try endLine() { events.append(e) }
            case 0x0A:
                if let e = try endLine() { events.append(e) }
            default:
                line.append(byte)
                if line.count > maximumEventBytes {
                    throw CustosError(.upstream, "event stream: a line longer than \(maximumEventBytes) bytes",
                                      at: SourceLocation(byteOffset: offset))
                }
            }
        }
        return events
    }

    /// Ends the stream: a last event not followed by a blank line is still returned (leniently: upstreams that
    /// close right after `data: [DONE]` are common).
    public mutating func finish() throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty, let e = try endLine() { events.append(e) }
        if let e = dispatch() { events.append(e) }
        return events
    }

    private mutating func endLine() throws -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = colon.map { line[..<$0] } ?? line[...]
        var valueStart = colon.map { $0 + 1 } ?? line.count
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            if data.count > maximumEventBytes {
                throw CustosError(.upstream, "event stream: an event larger than \(maximumEventBytes) bytes",
                                  at: SourceLocation(byteOffset: offset))
            }
        case "event": event = String(decoding: value, as: UTF8.self)
        case "id": if !value.contains(0) { id = String(decoding: value, as: UTF8.self) }
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            event = nil
        }
        guard hasData else { return nil }
        return SSEEvent(event: event, data: data, id: id)
    }
}

/// Writes server-sent events.
public enum SSEWriter {
    /// `data: <bytes>\n\n` (each line of a multi-line payload gets its own `data:` prefix).
    public static func event(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 8)
        out.append(contentsOf: Array("data: ".utf8))
        for byte in data {
            if byte == 0x0A {
                out.append(contentsOf: Array("\ndata: ".utf8))
            } else if byte != 0x0D {
                out.append(byte)
            }
        }
        out.append(contentsOf: [0x0A, 0x0A])
        return out
    }

    /// `data: [DONE]\n\n`.
    public static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)
}
