import ArgumentParser
import CustosCore
import Foundation

/// The `custos` command: responsible-AI audits and the guardrail gateway.
struct CustosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos",
        abstract: "Measure and reduce bias, protect privacy, explain and audit model decisions.",
        version: CustosVersion.current,
        subcommands: [
            FairnessCommand.self, BiasCommand.self, RedTeamCommand.self, EmbedCommand.self, SimilarityCommand.self, ExplainCommand.self,
            AuditCommand.self, ServeCommand.self, KeysCommand.self, DemoUpstreamCommand.self, DPCommand.self, PIICommand.self, ScanCommand.self, GuardCommand.self, AssetsCommand.self, DoctorCommand.self,
        ])
}

/// Entry point: runs the command and maps failures to the documented exit codes
/// (0 ok, 1 findings with `--fail-on`, 2 usage or input error, 3 internal or upstream failure).
@main
enum CustosMain {
    static func main() async {
        do {
            var command = try CustosCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CustosError {
            FileHandle.standardError.write(Data("custos: error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = CustosCommand.exitCode(for: error)
            if code == .success {
                // --help and --version print to stdout and succeed.
                print(CustosCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure || code.rawValue == 64 {
                FileHandle.standardError.write(Data((CustosCommand.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            CustosCommand.exit(withError: error)
        }
    }
}
