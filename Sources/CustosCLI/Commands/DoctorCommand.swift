import ArgumentParser
import CustosCore
import CustosReport
import Foundation

/// `custos doctor`: is everything Custos needs in place?
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check every asset (checksum state and path) and the environment.")

    @OptionGroup var home: HomeOptions

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Only check presence and size, not SHA-256 (fast).")
    var quick = false

    func run() throws {
        let statuses = try AssetFetcher(home: home.custosHome).status(verify: !quick)
        switch format {
        case .json:
            print(try JSONOutput.encode(DoctorReport(home: home.custosHome.root.path, files: statuses), pretty: true))
        case .table, .html:
            var table = TerminalTable(headers: ["asset", "state", "path"])
            for status in statuses {
                table.addRow([status.file.asset, status.state.rawValue, status.path])
            }
            print("Custos \(CustosVersion.current), home \(home.custosHome.root.path)")
            print(table.render())
        }
        let bad = statuses.filter { $0.state != .ok }
        if !bad.isEmpty {
            throw CustosError(.missingAsset, "\(bad.count) of \(statuses.count) asset files are missing or corrupt; run `custos assets fetch`")
        }
        printError("all \(statuses.count) asset files present\(quick ? "" : " with pinned SHA-256")")
    }
}

/// `custos doctor --format json` output.
struct DoctorReport: Codable {
    var home: String
    var files: [AssetFileStatus]
}
