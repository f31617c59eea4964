import CustosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory mapping of a whole file, unmapped when the last reference goes away.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init: the mapping is read-only (PROT_READ), so sharing it across threads is safe.
    /// The mapped bytes.
    public let bytes: UnsafeRawBufferPointer
    /// The path as given.
    public let path: String

    /// Maps `path`; a missing, unreadable or empty file is a clear error naming it.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CustosError(.io, "cannot open the file (errno \(errno))", at: SourceLocation(file: path))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CustosError(.io, "cannot stat the file (errno \(errno))", at: SourceLocation(file: path))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CustosError(.io, "not a regular file", at: SourceLocation(file: path))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw CustosError(.invalidInput, "the file is empty", at: SourceLocation(file: path))
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw CustosError(.io, "cannot map the file (errno \(errno))", at: SourceLocation(file: path))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
