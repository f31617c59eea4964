import Crypto
import Foundation

/// One file Custos extracts from a pinned archive, with the checksum it must have.
public struct AssetFile: Sendable, Equatable, Codable {
    /// The logical asset it belongs to (e.g. `adult`, `minilm`).
    public var asset: String
    /// Path inside the archive; also its path under `$CUSTOS_HOME/assets`.
    public var path: String
    /// Size in bytes.
    public var size: Int
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
}

/// A pinned Python package archive that carries data or model files.
public struct AssetArchive: Sendable, Equatable, Codable {
    /// Short identifier.
    public var id: String
    /// The pip requirement, `NAME==VERSION`.
    public var requirement: String
    /// The archive's file name as pip saves it.
    public var fileName: String
    /// Lower-case hex SHA-256 of the archive.
    public var sha256: String
    /// Licence of the archive's contents.
    public var licence: String
    /// Files extracted from it.
    public var files: [AssetFile]
}

/// The pinned assets and where they live on disk.
public enum AssetCatalog {
    /// The archive holding a given logical asset, or an error naming the known assets.
    public static func archive(containing asset: String) throws -> AssetArchive {
        if let archive = archives.first(where: { $0.files.contains { $0.asset == asset } }) { return archive }
        throw CustosError(.usage, "unknown asset '\(asset)' (known: \(assetNames.joined(separator: ", ")))")
    }

    /// Every logical asset name, in catalog order.
    public static var assetNames: [String] {
        var seen = Set<String>()
        return archives.flatMap(\.files).map(\.asset).filter { seen.insert($0).inserted }
    }

    /// The files of one logical asset.
    public static func files(of asset: String) -> [AssetFile] {
        archives.flatMap(\.files).filter { $0.asset == asset }
    }
}

/// Checksums.
public enum Checksum {
    /// Lower-case hex SHA-256 of a file, read in chunks (bounded memory).
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CustosError(.io, "cannot open the file for reading", at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw CustosError(.io, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func sha256<D: DataProtocol>(_ data: D) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
