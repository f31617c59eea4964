import Foundation

/// Custos' home directory (`$CUSTOS_HOME`, default `~/.custos`): `assets/`, `cache/`, databases, keys.
public struct CustosHome: Sendable, Equatable {
    /// The home directory.
    public var root: URL

    /// The home at `path`, or from `$CUSTOS_HOME`, or `~/.custos`.
    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path, !path.isEmpty {
            root = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        } else if let env = environment["CUSTOS_HOME"], !env.isEmpty {
            root = URL(fileURLWithPath: (env as NSString).expandingTildeInPath)
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".custos")
        }
    }

    /// Extracted assets.
    public var assets: URL { root.appendingPathComponent("assets") }
    /// Downloaded archives.
    public var cache: URL { root.appendingPathComponent("cache") }

    /// Path of an extracted asset file.
    public func path(of file: AssetFile) -> String { assets.appendingPathComponent(file.path).path }

    /// Path of the asset file whose archive path ends with `suffix`, checked to exist; a missing
    /// file is an error that names the setup command.
    public func require(asset: String, file suffix: String) throws -> String {
        guard let file = AssetCatalog.files(of: asset).first(where: { $0.path.hasSuffix(suffix) }) else {
            throw CustosError(.internal, "asset '\(asset)' has no file ending in '\(suffix)'")
        }
        let path = self.path(of: file)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CustosError(
                .missingAsset,
                "asset '\(asset)' is not installed (missing \(path)); run `scripts/setup` or `custos assets fetch`")
        }
        return path
    }
}
