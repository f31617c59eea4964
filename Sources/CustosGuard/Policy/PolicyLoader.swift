import CustosCore
import Foundation
import Yams

/// Reads policies from YAML, validating every field; errors name the file and line.
public enum PolicyLoader {
    /// Largest policy file accepted (a policy is configuration, not data).
    public static let maximumBytes = 4 << 20

    /// Reads and validates the policy file at `path`.
    public static func load(path: String, registry: ScannerRegistry = .builtIn) throws -> Policy {
        let text = try FileInput.readText(path, limit: maximumBytes)
        return try parse(text, file: path, registry: registry)
    }

    /// Parses and validates policy YAML; scanner names are checked against `registry`.
    public static func parse(_ yaml: String, file: String? = nil, registry: ScannerRegistry = .builtIn) throws -> Policy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw CustosError(.invalidInput, "the policy is empty", at: SourceLocation(file: file))
            }
            root = node
        } catch let error as CustosError {
            throw error
        } catch let error as YamlError {
            throw CustosError(.invalidInput, "not valid YAML: \(yamlProblem(error))", at: SourceLocation(file: file, line: yamlLine(error)))
        }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, what: "the policy")
        try reader.allowOnly(top, ["name", "version", "fail_mode", "isolation", "input", "output"], what: "the policy")
        let name = try top["name"].map { try reader.scalar($0, what: "name") } ?? "unnamed"
        var failMode = FailMode.closed
        if let node = top["fail_mode"] {
            let text = try reader.scalar(node, what: "fail_mode")
            guard let mode = FailMode(rawValue: text) else {
                throw reader.error("fail_mode must be 'open' or 'closed', got '\(text)'", node)
            }
            failMode = mode
        }
        let input = try top["input"].map { try specs($0, side: .input, reader: reader, registry: registry) } ?? []
        let output = try top["output"].map { try specs($0, side: .output, reader: reader, registry: registry) } ?? []
        if input.isEmpty && output.isEmpty {
            throw CustosError(.invalidInput, "the policy has no scanners: add an 'input:' or 'output:' list", at: reader.location(root))
        }
        let isolation = try top["isolation"].flatMap { try self.isolation($0, reader: reader) }
        let policy = Policy(name: name, failMode: failMode, input: input, output: output, isolation: isolation)
        // Build every scanner once so bad options fail here, with their line, not at the first request.
        try registry.validate(policy)
        return policy
    }

    /// `isolation: {mode: process | in_process, workers: N, timeout_seconds: S}`.
    private static func isolation(_ node: Node, reader: NodeReader) throws -> Isolation? {
        let fields = try reader.mapping(node, what: "isolation")
        try reader.allowOnly(fields, ["mode", "workers", "timeout_seconds"], what: "isolation")
        guard let modeNode = fields["mode"] else { throw reader.error("isolation needs a mode: 'process' or 'in_process'", node) }
        let mode = try reader.scalar(modeNode, what: "isolation.mode")
        switch mode {
        case "in_process": return nil
        case "process": break
        default: throw reader.error("isolation.mode must be 'process' or 'in_process', got '\(mode)'", modeNode)
        }
        var isolation = Isolation()
        if let node = fields["workers"] {
            let text = try reader.scalar(node, what: "isolation.workers")
            guard let workers = Int(text), (1...256).contains(workers) else {
                throw reader.error("isolation.workers must be a whole number from 1 to 256, got '\(text)'", node)
            }
            isolation.workers = workers
        }
        if let node = fields["timeout_seconds"] {
            let text = try reader.scalar(node, what: "isolation.timeout_seconds")
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw reader.error("isolation.timeout_seconds must be a number of seconds above 0 and at most 3600, got '\(text)'", node)
            }
            isolation.timeoutSeconds = seconds
        }
        return isolation
    }

    private static func specs(_ node: Node, side: ScanSide, reader: NodeReader, registry: ScannerRegistry) throws -> [ScannerSpec] {
        guard let sequence = node.sequence else { throw reader.error("'\(side.rawValue)' must be a list of scanners", node) }
        return try sequence.map { entry in
            let fields = try reader.mapping(entry, what: "a scanner entry")
            try reader.allowOnly(fields, ["scanner", "action", "threshold", "options"], what: "a scanner entry")
            guard let nameNode = fields["scanner"] else { throw reader.error("a scanner entry needs 'scanner: NAME'", entry) }
            let name = try reader.scalar(nameNode, what: "scanner")
            guard registry.contains(name) else {
                throw reader.error(registry.unknownScannerMessage(name), nameNode)
            }
            var action = GuardAction.block
            if let node = fields["action"] {
                let text = try reader.scalar(node, what: "action")
                guard let parsed = GuardAction(rawValue: text) else {
                    throw reader.error("action must be one of allow, flag, pseudonymize, redact, block; got '\(text)'", node)
                }
                action = parsed
            }
            var threshold: Double?
            if let node = fields["threshold"] {
                let text = try reader.scalar(node, what: "threshold")
                guard let x = Double(text), x >= 0, x <= 1 else { throw reader.error("threshold must be a number in 0...1, got '\(text)'", node) }
                threshold = x
            }
            var options = ScannerOptions(values: [:], lines: [:], file: reader.file, entryLine: reader.line(entry))
            if let node = fields["options"] {
                let map = try reader.mapping(node, what: "options")
                for (key, value) in map {
                    options.values[key] = try reader.value(value)
                    options.lines[key] = reader.line(value)
                }
            }
            return ScannerSpec(scanner: name, action: action, threshold: threshold, options: options)
        }
    }

    /// Reads a flat settings file (a YAML mapping of keys to values, lists or maps), keeping each key's line
    /// for error messages; used for configuration files such as `custos.yaml`.
    public static func settings(_ yaml: String, file: String?, what: String) throws -> ScannerOptions {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return ScannerOptions() }
            root = node
        } catch let error as YamlError {
            throw CustosError(.invalidInput, "not valid YAML: \(yamlProblem(error))", at: SourceLocation(file: file, line: yamlLine(error)))
        }
        let reader = NodeReader(file: file)
        var options = ScannerOptions(values: [:], lines: [:], file: file, entryLine: reader.line(root))
        for (key, value) in try reader.mapping(root, what: what) {
            options.values[key] = try reader.value(value)
            options.lines[key] = reader.line(value)
        }
        return options
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}

/// Helpers that turn YAML nodes into values or errors that name the line.
struct NodeReader {
    let file: String?

    func line(_ node: Node) -> Int? { node.mark?.line }

    func location(_ node: Node) -> SourceLocation { SourceLocation(file: file, line: line(node)) }

    func error(_ message: String, _ node: Node) -> CustosError { CustosError(.invalidInput, message, at: location(node)) }

    /// A mapping with text keys, in file order (duplicate keys are an error).
    func mapping(_ node: Node, what: String) throws -> OrderedNodes {
        guard let mapping = node.mapping else { throw error("\(what) must be a mapping (key: value lines)", node) }
        var out = OrderedNodes()
        for (key, value) in mapping {
            let name = try scalar(key, what: "a key")
            if out[name] != nil { throw error("duplicate key '\(name)'", key) }
            out.append(name, value, keyNode: key)
        }
        return out
    }

    func allowOnly(_ nodes: OrderedNodes, _ keys: Set<String>, what: String) throws {
        for (name, _, keyNode) in nodes.entries where !keys.contains(name) {
            throw error("unknown key '\(name)' in \(what) (known: \(keys.sorted().joined(separator: ", ")))", keyNode)
        }
    }

    func scalar(_ node: Node, what: String) throws -> String {
        guard let scalar = node.scalar else { throw error("\(what) must be a single value", node) }
        return scalar.string
    }

    func value(_ node: Node) throws -> PolicyValue {
        if let scalar = node.scalar { return .scalar(scalar.string) }
        if let sequence = node.sequence { return .list(try sequence.map { try value($0) }) }
        let map = try mapping(node, what: "an option")
        var out: [String: PolicyValue] = [:]
        for (name, child, _) in map.entries { out[name] = try value(child) }
        return .map(out)
    }
}

/// Mapping entries in file order with lookup by key.
struct OrderedNodes: Sequence {
    private(set) var entries: [(String, Node, Node)] = []

    subscript(key: String) -> Node? { entries.first { $0.0 == key }?.1 }

    mutating func append(_ key: String, _ value: Node, keyNode: Node) { entries.append((key, value, keyNode)) }

    func makeIterator() -> AnyIterator<(String, Node)> {
        var iterator = entries.makeIterator()
        return AnyIterator { iterator.next().map { ($0.0, $0.1) } }
    }
}
