import CustosCore
import CustosML
import Foundation

/// Shared, lazily loaded resources scanner factories need (the MiniLM embedder, one per precision).
public final class ScannerEnvironment: @unchecked Sendable {
    // @unchecked: `embedders` is only touched under `lock`.
    /// Where assets are.
    public let home: CustosHome
    private let lock = NSLock()
    private var embedders: [BertEncoder.Precision: Result<Embedder, CustosError>] = [:]

    /// The precision of the MiniLM scanners (`jailbreak`, `topic`) when their `precision` option is absent:
    /// bfloat16. On the jailbreak dev set and 600 in-the-wild jailbreaks its jailbreak scores stay within 0.0035 of
    /// float32's with no decision changed (`docs/guard.md`), at 1.8× the speed where the CPU has AMX.
    public static let defaultScannerPrecision = BertEncoder.Precision.bfloat16

    /// The command that starts a scanner worker (`custos guard worker --home …`), for policies with
    /// `isolation: process`; nil where there is no custos executable to run.
    public let workerCommand: [String]?

    /// An environment reading assets from `home`.
    public init(home: CustosHome = CustosHome(), workerCommand: [String]? = nil) {
        self.home = home
        self.workerCommand = workerCommand
    }

    /// The MiniLM embedder in `precision`, loaded on first use (one per precision, shared by the scanners).
    public func embedder(precision: BertEncoder.Precision = .float32) throws -> Embedder {
        lock.lock()
        defer { lock.unlock() }
        if let loaded = embedders[precision] { return try loaded.get() }
        let result = Result { try Embedder(home: home, precision: precision) }
            .mapError { $0 as? CustosError ?? CustosError(.missingAsset, "\($0)") }
        embedders[precision] = result
        return try result.get()
    }
}

/// Scanner names and how to build each from its policy options.
public struct ScannerRegistry: Sendable {
    /// Builds a scanner from its options.
    public typealias Factory = @Sendable (ScannerOptions, ScannerEnvironment) throws -> any Scanner

    private var factories: [String: Factory]

    /// An empty registry.
    public init() {
        factories = [:]
    }

    /// The built-in scanners, `pii` (the CustosPrivacy analyzer) among them.
    public static let builtIn: ScannerRegistry = {
        var registry = ScannerRegistry()
        for (name, factory) in BuiltInScanners.factories { registry.factories[name] = factory }
        return registry
    }()

    /// This registry with `name` added or replaced.
    public func registering(_ name: String, _ factory: @escaping Factory) -> ScannerRegistry {
        var copy = self
        copy.factories[name] = factory
        return copy
    }

    /// The error message for a name this registry does not know, listing the known ones.
    public func unknownScannerMessage(_ name: String) -> String {
        "unknown scanner '\(name)' (known: \(names.joined(separator: ", ")))"
    }

    /// Whether `name` is known.
    public func contains(_ name: String) -> Bool { factories[name] != nil }

    /// Known names, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Builds the scanner `name` with `options`.
    public func make(_ name: String, options: ScannerOptions = ScannerOptions(), environment: ScannerEnvironment) throws -> any Scanner {
        guard let factory = factories[name] else {
            throw CustosError(.usage, unknownScannerMessage(name))
        }
        return try factory(options, environment)
    }

    /// Checks every scanner's options without loading models (option errors carry their policy line).
    func validate(_ policy: Policy) throws {
        for spec in policy.input + policy.output {
            guard contains(spec.scanner) else {
                throw CustosError(.invalidInput, unknownScannerMessage(spec.scanner), at: spec.options.location(nil))
            }
            try BuiltInScanners.validateOptions(spec)
        }
    }
}
