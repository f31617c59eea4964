import ArgumentParser
import CustosAudit
import CustosCore
import CustosReport
import Foundation

/// `custos audit …`: the tamper-evident decision log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Tamper-evident audit log: RFC 9162 Merkle tree over canonical JSON records, Ed25519-signed checkpoints.",
        subcommands: [Init.self, Append.self, Checkpoint.self, Verify.self, Show.self, Proof.self, Consistency.self, Export.self])

    /// Paths under the home.
    struct Paths {
        let home: CustosHome
        var keys: URL { home.root.appendingPathComponent("keys") }
        var database: String { home.root.appendingPathComponent("audit.sqlite").path }

        func openLog() throws -> AuditLog {
            guard FileManager.default.fileExists(atPath: database) else {
                throw CustosError(.usage, "no audit log at \(database); run `custos audit init` first")
            }
            return try AuditLog(store: SQLiteAuditStore(path: database))
        }
    }

    /// `custos audit init`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the log's Ed25519 signing key and an empty log; refuses to overwrite existing keys.")
        @OptionGroup var home: HomeOptions
        @Option(help: "The log's origin (its name in checkpoints).")
        var origin = "custos/audit"

        func run() throws {
            let paths = Paths(home: home.custosHome)
            let keys = try AuditKeys.create(in: paths.keys, origin: origin)
            _ = try SQLiteAuditStore(path: paths.database)
            print(keys.verifier.verifierKey)
            printError("created \(paths.database) and keys in \(paths.keys.path); publish \(AuditKeys.verifierKeyFile)")
        }
    }

    /// `custos audit append`.
    struct Append: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Append JSON records read from stdin, one object per line (one transaction).")
        @OptionGroup var home: HomeOptions

        func run() throws {
            var records: [JSONValue] = []
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                do {
                    records.append(try JSONValue.parse(Array(line.utf8)))
                } catch {
                    throw CustosError(.invalidInput, "not valid JSON", at: SourceLocation(file: "<stdin>", line: lineNumber))
                }
                if case .object = records[records.count - 1] {} else {
                    throw CustosError(.invalidInput, "a record must be a JSON object", at: SourceLocation(file: "<stdin>", line: lineNumber))
                }
            }
            var log = try Paths(home: home.custosHome).openLog()
            let range = try log.append(records)
            print(#"{"first":\#(range.lowerBound),"count":\#(range.count),"size":\#(log.size)}"#)
        }
    }

    /// `custos audit checkpoint`.
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the current tree head and print the checkpoint note.")
        @OptionGroup var home: HomeOptions

        func run() throws {
            let paths = Paths(home: home.custosHome)
            let keys = try AuditKeys.load(from: paths.keys)
            print(try paths.openLog().checkpoint(signer: keys.signer), terminator: "")
        }
    }

    /// `custos audit verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash and check every signed checkpoint; exit 0 only when all is well, else 1 naming the first bad index.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Verifier key file (default: keys/audit.vkey under the home).")
        var key: String?
        @Option(help: "table or json.")
        var format: OutputFormat = .table

        func run() throws {
            let paths = Paths(home: home.custosHome)
            let verifier = try AuditKeys.loadVerifier(from: key ?? paths.keys.appendingPathComponent(AuditKeys.verifierKeyFile).path)
            let report = try paths.openLog().verify(with: verifier)
            if format == .json {
                print(try JSONOutput.encode(report, pretty: false))
            } else if report.ok {
                print("ok: \(report.size) entries, \(report.checkpoints) signed checkpoints verified")
            } else {
                print("FAILED at index \(report.firstBadIndex.map(String.init) ?? "?"): \(report.problem ?? "")")
            }
            if !report.ok { throw ExitCode(1) }
        }
    }

    /// `custos audit show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one record and its leaf hash.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Entry index.") var index: Int

        func run() throws {
            let entry = try Paths(home: home.custosHome).openLog().store.entry(at: index)
            print(#"{"index":\#(entry.index),"leaf_hash":"\#(entry.leafHash.hexString)","record":\#(String(decoding: entry.leaf, as: UTF8.self))}"#)
        }
    }

    /// `custos audit proof`.
    struct Proof: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Inclusion proof of an entry in the tree of a given size (default: now).")
        @OptionGroup var home: HomeOptions
        @Option(help: "Entry index.") var index: Int
        @Option(help: "Tree size (default: the current size).") var size: Int?

        func run() throws {
            let log = try Paths(home: home.custosHome).openLog()
            let size = self.size ?? log.size
            let proof = try log.tree.inclusionProof(index: index, size: size)
            let leaf = try log.tree.leafHash(at: index)
            let root = try log.tree.root(size: size)
            let path = proof.map { "\"\($0.hexString)\"" }.joined(separator: ",")
            print(#"{"index":\#(index),"size":\#(size),"leaf_hash":"\#(leaf.hexString)","root":"\#(root.hexString)","path":[\#(path)]}"#)
        }
    }

    /// `custos audit consistency`.
    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Consistency proof that the tree of size B extends the tree of size A.")
        @OptionGroup var home: HomeOptions
        @Option(help: "Older size.") var from: Int
        @Option(help: "Newer size.") var to: Int

        func run() throws {
            let log = try Paths(home: home.custosHome).openLog()
            let proof = try log.tree.consistencyProof(from: from, to: to)
            let path = proof.map { "\"\($0.hexString)\"" }.joined(separator: ",")
            print(#"{"from":\#(from),"to":\#(to),"old_root":"\#(try log.tree.root(size: from).hexString)","new_root":"\#(try log.tree.root(size: to).hexString)","proof":[\#(path)]}"#)
        }
    }

    /// `custos audit export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: #"Print every entry as JSONL: {"index", "leaf" (base64 of the hashed bytes), "leaf_hash" (hex), "record"}."#)
        @OptionGroup var home: HomeOptions

        func run() throws {
            for entry in try Paths(home: home.custosHome).openLog().store.entries() {
                let record = String(decoding: entry.leaf, as: UTF8.self)
                print(#"{"index":\#(entry.index),"leaf":"\#(Data(entry.leaf).base64EncodedString())","leaf_hash":"\#(entry.leafHash.hexString)","record":\#(record)}"#)
            }
        }
    }
}
