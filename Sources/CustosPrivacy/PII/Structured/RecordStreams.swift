import CustosCore
import Foundation

/// Reads a file line by line in 1 MiB chunks, so memory stays bounded by the longest line, not the file.
public struct LineStream {
    let handle: FileHandle
    let path: String
    var buffer: [UInt8] = []
    var offset = 0
    var eof = false
    /// 1-based number of the last line returned.
    public private(set) var lineNumber = 0
    /// Byte offset in the file where the last line returned starts.
    public private(set) var lineStart = 0
    var consumed = 0
    /// Lines longer than this are an error (default 64 MiB).
    public var maxLineBytes = 64 << 20

    /// Opens a file.
    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CustosError(.io, "cannot open the file for reading", at: SourceLocation(file: path))
        }
        self.handle = handle
        self.path = path
    }

    /// The next line's bytes without its `\n` (and `\r`), or nil at the end.
    public mutating func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[offset...].firstIndex(of: 10) {
                var line = Array(buffer[offset..<nl])
                if line.last == 13 { line.removeLast() }
                lineStart = consumed
                consumed += nl + 1 - offset
                offset = nl + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard offset < buffer.count else { return nil }
                let line = Array(buffer[offset...])
                lineStart = consumed
                consumed += buffer.count - offset
                offset = buffer.count
                lineNumber += 1
                return line
            }
            if buffer.count - offset > maxLineBytes {
                throw CustosError(.invalidInput, "line longer than \(maxLineBytes >> 20) MiB",
                                  at: SourceLocation(file: path, line: lineNumber + 1))
            }
            buffer.removeFirst(offset)
            offset = 0
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw CustosError(.io, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
            }
            if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { eof = true }
        }
    }
}

/// Decoding of text that may not be valid UTF-8.
public enum TextDecoding {
    /// The text of `bytes`; invalid UTF-8 is an error naming the byte offset (plus `base`), unless `lossy`, where
    /// each invalid sequence becomes U+FFFD.
    public static func decode(_ bytes: [UInt8], lossy: Bool, source: String?, line: Int? = nil, base: Int = 0) throws -> String {
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            guard lossy else {
                throw CustosError(.invalidInput, "invalid UTF-8 (use --lossy to replace invalid bytes with U+FFFD)",
                                  at: SourceLocation(file: source, line: line, byteOffset: base + bad))
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if bytes.contains(0) && !lossy {
            let at = bytes.firstIndex(of: 0) ?? 0
            throw CustosError(.invalidInput, "a NUL byte: this looks like a binary file, not text",
                              at: SourceLocation(file: source, line: line, byteOffset: base + at))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
