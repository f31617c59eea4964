import ArgumentParser
import CustosAudit
import CustosCore
import CustosReport
import Foundation

/// `custos audit …`: the tamper-evident decision log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Tamper-evident audit log: RFC 9162 Merkle tree over canonical JSON records, Ed25519-signed checkpoints, encrypted payloads.",
        subcommands: [
            Init.self, Append.self, Checkpoint.self, Verify.self, Show.self, Proof.self, Consistency.self, Export.self, Forget.self,
        ])

    /// `--store`: where the log lives (keys always come from the home).
    struct StoreOptions: ParsableArguments {
        @Option(help: ArgumentHelp(
            "The log's store: postgres://user:password@host:port/database[?sslmode=disable], or a SQLite file (default: audit.sqlite under the home).",
            valueName: "url-or-path"))
        var store: String?
    }

    /// The home's keys and the chosen store.
    struct Paths {
        let home: CustosHome
        let location: AuditStoreLocation
        var keys: URL { home.root.appendingPathComponent("keys") }

        init(home: HomeOptions, store: StoreOptions) throws {
            self.home = home.custosHome
            location = try AuditStoreLocation(parsing: store.store, home: self.home)
        }

        /// Runs `body` with the existing log (its payload cipher when a master key exists), then closes the store.
        func withLog<T: Sendable>(_ body: (AuditLog) async throws -> T) async throws -> T {
            let cipher = try AuditKeys.loadMasterKey(from: keys).map(PayloadCipher.init(master:))
            return try await withAuditStore(at: location, createIfMissing: false) { store in
                try await body(AuditLog(store: store, cipher: cipher))
            }
        }
    }

    /// `custos audit init`.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the log's Ed25519 signing key, its payload master key (unless $CUSTOS_AUDIT_MASTER_KEY is set) and an empty log; refuses to overwrite existing keys.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "The log's origin (its name in checkpoints).")
        var origin = "custos/audit"

        func run() async throws {
            let paths = try Paths(home: home, store: store)
            // The store first: an unreachable server or a bad URL must not leave keys behind that block a retry.
            let verifierKey = try await withAuditStore(at: paths.location, createIfMissing: true) { _ in
                try AuditKeys.create(in: paths.keys, origin: origin).verifier.verifierKey
            }
            print(verifierKey)
            printError("created the log in \(paths.location) and keys in \(paths.keys.path); publish \(AuditKeys.verifierKeyFile)")
        }
    }

    /// `custos audit append`.
    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append JSON records read from stdin, one object per line (one transaction). A record's `payload` is encrypted under its `subject`'s key.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Sign a checkpoint when at least this many entries were appended since the last one (0: never).")
        var checkpointEvery = 10_000

        func run() async throws {
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
            let paths = try Paths(home: home, store: store)
            let signer = checkpointEvery > 0 ? try AuditKeys.load(from: paths.keys).signer : nil
            let batch = try await paths.withLog { log in
                let batch = try await log.append(records)
                if let signer { try await log.checkpointIfDue(signer: signer, every: checkpointEvery) }
                return batch
            }
            print(#"{"first":\#(batch.first),"count":\#(records.count),"size":\#(batch.head.size)}"#)
        }
    }

    /// `custos audit checkpoint`.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the current tree head and print the checkpoint note.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let paths = try Paths(home: home, store: store)
            let keys = try AuditKeys.load(from: paths.keys)
            print(try await paths.withLog { try await $0.checkpoint(signer: keys.signer) }, terminator: "")
        }
    }

    /// `custos audit verify`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash and check every signed checkpoint; exit 0 only when all is well, else 1 naming the first bad index.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Verifier key file (default: keys/audit.vkey under the home).")
        var key: String?
        @Option(help: "table or json.")
        var format: OutputFormat = .table

        func run() async throws {
            let paths = try Paths(home: home, store: store)
            let verifier = try AuditKeys.loadVerifier(from: key ?? paths.keys.appendingPathComponent(AuditKeys.verifierKeyFile).path)
            let report = try await withAuditStore(at: paths.location, createIfMissing: false) { store in
                try await AuditLog(store: store).verify(with: verifier)
            }
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
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one record (payload decrypted, or marked forgotten) and its leaf hash.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Entry index.") var index: Int

        func run() async throws {
            let (entry, record) = try await Paths(home: home, store: store).withLog { try await $0.readableRecord(at: index) }
            let text = String(decoding: try CanonicalJSON.encode(record), as: UTF8.self)
            print(#"{"index":\#(entry.index),"leaf_hash":"\#(entry.leafHash.hexString)","record":\#(text)}"#)
        }
    }

    /// `custos audit proof`.
    struct Proof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Inclusion proof of an entry in the tree of a given size (default: now).")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Entry index.") var index: Int
        @Option(help: "Tree size (default: the current size).") var size: Int?

        func run() async throws {
            let tree = try await Paths(home: home, store: store).withLog { try await $0.tree() }
            let size = self.size ?? tree.size
            let proof = try tree.inclusionProof(index: index, size: size)
            let leaf = try tree.leafHash(at: index)
            let root = try tree.root(size: size)
            let path = proof.map { "\"\($0.hexString)\"" }.joined(separator: ",")
            print(#"{"index":\#(index),"size":\#(size),"leaf_hash":"\#(leaf.hexString)","root":"\#(root.hexString)","path":[\#(path)]}"#)
        }
    }

    /// `custos audit consistency`.
    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Consistency proof that the tree of size B extends the tree of size A.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "Older size.") var from: Int
        @Option(help: "Newer size.") var to: Int

        func run() async throws {
            let tree = try await Paths(home: home, store: store).withLog { try await $0.tree() }
            let proof = try tree.consistencyProof(from: from, to: to)
            let path = proof.map { "\"\($0.hexString)\"" }.joined(separator: ",")
            print(#"{"from":\#(from),"to":\#(to),"old_root":"\#(try tree.root(size: from).hexString)","new_root":"\#(try tree.root(size: to).hexString)","proof":[\#(path)]}"#)
        }
    }

    /// `custos audit export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: #"Print every entry as JSONL: {"index", "leaf" (base64 of the hashed bytes), "leaf_hash" (hex), "record"} (payloads stay encrypted)."#)
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await Paths(home: home, store: store).withLog { log in
                var start = 0
                while true {
                    let page = try await log.store.entries(from: start, limit: 10_000)
                    var out = ""
                    for entry in page {
                        let record = String(decoding: entry.leaf, as: UTF8.self)
                        out += #"{"index":\#(entry.index),"leaf":"\#(Data(entry.leaf).base64EncodedString())","leaf_hash":"\#(entry.leafHash.hexString)","record":\#(record)}"# + "\n"
                    }
                    FileHandle.standardOutput.write(Data(out.utf8))
                    guard page.count == 10_000, let last = page.last else { return }
                    start = last.index + 1
                }
            }
        }
    }

    /// `custos audit forget`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Crypto-shred a subject: destroy its data key so its payloads become unreadable; every proof still verifies. Appends an erasure record.")
        @OptionGroup var home: HomeOptions
        @OptionGroup var store: StoreOptions
        @Option(help: "The subject whose payloads to erase.") var subject: String

        func run() async throws {
            let ids = try await Paths(home: home, store: store).withLog { try await $0.forget(subject: subject) }
            let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
            print(#"{"subject_keys_destroyed":\#(ids.count),"key_ids":[\#(list)]}"#)
            if ids.isEmpty { printError("no key for that subject: nothing to forget") }
        }
    }
}
