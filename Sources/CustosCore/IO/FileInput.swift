import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing whole files with errors that name the path, and atomic replacement so a
/// failed command never leaves a half-written output behind.
public enum FileInput {
    /// Reads a file's bytes; a missing, unreadable or oversized file is a clear error.
    public static func readBytes(_ path: String, limit: Int = 2 << 30) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CustosError(.io, "no such file", at: SourceLocation(file: path))
        }
        guard !isDirectory.boolValue else {
            throw CustosError(.io, "is a directory, not a file", at: SourceLocation(file: path))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CustosError(.io, "cannot open the file for reading (permissions?)", at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > limit {
            throw CustosError(.invalidInput, "file is \(size) bytes, over the limit of \(limit)", at: SourceLocation(file: path))
        }
        do {
            let data = try handle.readToEnd() ?? Data()
            guard data.count <= limit else {
                throw CustosError(.invalidInput, "file is over the limit of \(limit) bytes", at: SourceLocation(file: path))
            }
            return [UInt8](data)
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.io, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    /// Reads a file as UTF-8 text; invalid UTF-8 is an error naming the byte offset.
    public static func readText(_ path: String, limit: Int = 2 << 30) throws -> String {
        let bytes = try readBytes(path, limit: limit)
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            let (line, column) = bytes.withUnsafeBufferPointer { UTF8Validation.lineAndColumn(of: bad, in: $0) }
            throw CustosError(
                .invalidInput, "invalid UTF-8",
                at: SourceLocation(file: path, line: line, column: "\(column)", byteOffset: bad))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `data` to `path` atomically: a temporary file in the same directory is written,
    /// flushed and renamed over the target, so readers see the old file or the new one, never half.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        do {
            try writer.write(data)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes text atomically as UTF-8; see `writeAtomically(_:to:)`.
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }
}

/// A file written in pieces that appears at its path only when `commit()` succeeds: the pieces go to a temporary
/// file in the same directory, which is flushed and renamed over the target. Until then (and after `abandon()`,
/// or if the process dies) the target is untouched, so streaming commands keep bounded memory and still never
/// leave a half-written output.
public final class AtomicFileWriter {
    private let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    /// Creates the temporary file next to `path`.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CustosError(.io, "the directory '\(directory.path)' does not exist", at: SourceLocation(file: path))
        }
        self.path = path
        temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw CustosError(.io, "cannot create a file next to the output (errno \(errno))", at: SourceLocation(file: path))
        }
    }

    deinit { abandon() }

    /// Appends bytes (buffered in 1 MiB pieces).
    public func write<D: DataProtocol>(_ data: D) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends text as UTF-8.
    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    private func flush() throws {
        guard fd >= 0 else { throw CustosError(.internal, "write after commit or abandon", at: SourceLocation(file: path)) }
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, raw.baseAddress?.advanced(by: offset), raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CustosError(.io, "cannot write the file: write failed (errno \(errno))", at: SourceLocation(file: path))
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file over the target.
    public func commit() throws {
        try flush()
        var failure: String?
        if fsync(fd) != 0 { failure = "fsync failed (errno \(errno))" }
        close(fd)
        fd = -1
        if failure == nil && rename(temporary, path) != 0 { failure = "rename failed (errno \(errno))" }
        if let failure {
            unlink(temporary)
            throw CustosError(.io, "cannot write the file: \(failure)", at: SourceLocation(file: path))
        }
    }

    /// Removes the temporary file; the target is left as it was.
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporary)
    }
}
