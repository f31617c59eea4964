import CustosCore
import Foundation

/// A log checkpoint in the transparency-log text format (C2SP tlog-checkpoint): the origin line,
/// the tree size in decimal, the root hash in standard base64, then optional extension lines.
public struct Checkpoint: Sendable, Equatable {
    /// The log's name (e.g. `custos.example/audit`); identifies which log a checkpoint is for.
    public var origin: String
    /// Number of leaves.
    public var size: Int
    /// RFC 9162 root hash of the first `size` leaves.
    public var rootHash: Hash
    /// Extra lines after the root (e.g. `timestamp 1764000000`), none empty.
    public var extensions: [String]

    /// Creates a checkpoint.
    public init(origin: String, size: Int, rootHash: Hash, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// The note body that is signed: every line ends with a newline.
    public var body: String {
        ([origin, String(size), Data(rootHash).base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a note body; malformed bodies are errors naming the line.
    public init(body: String) throws {
        guard body.hasSuffix("\n") else { throw CustosError(.invalidInput, "checkpoint body must end with a newline") }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else {
            throw CustosError(.invalidInput, "checkpoint needs an origin, a size and a root hash line")
        }
        guard !lines[0].isEmpty else { throw CustosError(.invalidInput, "empty origin", at: SourceLocation(line: 1)) }
        guard let size = Int(lines[1]), size >= 0, String(size) == lines[1] else {
            throw CustosError(.invalidInput, "tree size '\(lines[1])' is not a decimal number", at: SourceLocation(line: 2))
        }
        guard let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw CustosError(.invalidInput, "root hash is not 32 bytes of standard base64", at: SourceLocation(line: 3))
        }
        if let blank = lines.dropFirst(3).firstIndex(of: "") {
            throw CustosError(.invalidInput, "empty extension line", at: SourceLocation(line: blank + 1))
        }
        self.init(origin: lines[0], size: size, rootHash: Array(root), extensions: Array(lines.dropFirst(3)))
    }
}
