import CustosCore
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that writes one JSON object per line (JSON Lines): `time` (UTC, milliseconds), `level`,
/// `logger` (the label), `message`, `source`, then each metadata key, in key order, as a field of its own (a key
/// that is also one of those names gets a `metadata.` prefix). Strings are escaped, so a message or value cannot
/// forge a line.
///
/// Metadata is kept as given and rendered only when a line is written. The HTTP server sets a request id on its
/// logger for every request; swift-log's `StreamLogHandler` renders all metadata again on every such change, about
/// 15 µs per request on the benchmark machine, whether or not anything is logged.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: JSONLogOutput

    /// A handler for `label` writing lines at `level` and above to `output`.
    public init(label: String, level: Logger.Level = .info, output: JSONLogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { fields.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty { fields.merge(explicit) { $1 } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        output.write(Self.line(time: Date(), level: event.level, label: label, message: event.message.description,
                               source: event.source, metadata: fields))
    }

    /// One log line, newline included: the record's fields, then the metadata in key order. Written straight into
    /// bytes: it runs for every request the gateway logs.
    static func line(time: Date, level: Logger.Level, label: String, message: String, source: String,
                     metadata: Logger.Metadata) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func field(_ name: String, _ write: (inout [UInt8]) -> Void) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONValue.appendJSONString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            write(&out)
        }
        let record = [("time", timestamp(time)), ("level", level.rawValue), ("logger", label), ("message", message),
                      ("source", source)]
        for (name, value) in record {
            field(name) { JSONValue.appendJSONString(value, to: &$0) }
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            // Only strings, arrays and objects: encoding cannot fail (no numbers, let alone non-finite ones).
            field(record.contains { $0.0 == key } ? "metadata.\(key)" : key) { try? json(value).appendJSON(to: &$0) }
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        return out
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }

    /// `2026-12-03T09:15:02.123Z`.
    static func timestamp(_ date: Date) -> String {
        let since = date.timeIntervalSince1970
        var seconds = time_t(since.rounded(.down))
        let milliseconds = min(999, Int((since - Double(seconds)) * 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            text += String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        append(Int(parts.tm_year) + 1900, width: 4); text += "-"
        append(Int(parts.tm_mon) + 1, width: 2); text += "-"
        append(Int(parts.tm_mday), width: 2); text += "T"
        append(Int(parts.tm_hour), width: 2); text += ":"
        append(Int(parts.tm_min), width: 2); text += ":"
        append(Int(parts.tm_sec), width: 2); text += "."
        append(milliseconds, width: 3); text += "Z"
        return text
    }
}

/// Where `JSONLogHandler` writes. Each line is written whole under a lock, so lines from several threads never
/// interleave; a failed write (a closed pipe) drops the line, never the request.
public final class JSONLogOutput: Sendable {
    /// Standard error.
    public static let standardError = JSONLogOutput(fileDescriptor: 2)

    private let fileDescriptor: Int32
    private let lock = Mutex(())

    /// Writes to an open file descriptor, which stays the caller's to close.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func write(_ bytes: [UInt8]) {
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, base + offset, buffer.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }
}
