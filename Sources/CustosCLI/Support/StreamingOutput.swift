import CustosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Line-by-line output to stdout, or to a temporary file renamed over `--out` only when everything succeeded,
/// so large outputs (10,000 embeddings) never sit in memory and a failed run leaves no half-written file.
final class StreamingOutput {
    private let path: String?
    private let temporary: String?
    private let handle: FileHandle
    private var buffer = ""

    /// Flush to the file or stdout once this many UTF-8 bytes are buffered.
    private static let flushBytes = 1 << 20

    init(path: String?) throws {
        self.path = path
        guard let path else {
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CustosError(.io, "cannot create a file next to the output (does the directory exist?)", at: SourceLocation(file: path))
        }
        self.temporary = temporary
        self.handle = handle
    }

    /// Appends one line.
    func write(line: String) throws {
        buffer += line
        buffer += "\n"
        if buffer.utf8.count >= Self.flushBytes { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw CustosError(.io, "cannot write the output: \(error.localizedDescription)", at: path.map { SourceLocation(file: $0) })
        }
        buffer = ""
    }

    /// Flushes and, for a file, moves it into place.
    func finish() throws {
        try flush()
        guard let path, let temporary else { return }
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CustosError(.io, "cannot write the file: rename failed (errno \(errno))", at: SourceLocation(file: path))
        }
    }

    /// Removes the temporary file after a failure.
    func abandon() {
        guard let temporary else { return }
        try? handle.close()
        unlink(temporary)
    }
}
