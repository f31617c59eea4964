import CustosCore
import Yams

/// A YAML file whose top level is a mapping with known keys, read with line numbers for errors (the template files
/// of the bias audits and probes).
struct YAMLMapping {
    /// The file, for error locations.
    let file: String?
    /// The document's root node.
    let root: Node
    /// Its top-level mapping.
    let top: Node.Mapping

    /// Parses `yaml`; `what` names the file in errors ("the probe template file"), `shape` says what it must hold.
    init(_ yaml: String, file: String?, what: String, shape: String, keys: [String]) throws {
        self.file = file
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw CustosError(.invalidInput, "\(what) is empty", at: SourceLocation(file: file))
            }
            root = node
        } catch let error as YamlError {
            throw CustosError(.invalidInput, "not valid YAML: \(error)", at: SourceLocation(file: file))
        }
        guard let top = root.mapping else {
            throw CustosError(.invalidInput, "\(what) must be a mapping with \(shape)", at: SourceLocation(file: file, line: root.mark?.line))
        }
        self.top = top
        for (key, _) in top where !keys.contains(key.string ?? "") {
            throw CustosError(.invalidInput, "unknown key '\(key.string ?? "?")' (known: \(keys.joined(separator: ", ")))",
                              at: SourceLocation(file: file, line: key.mark?.line))
        }
    }

    /// Where `node` is (the file alone when nil).
    func location(_ node: Node?) -> SourceLocation { SourceLocation(file: file, line: node?.mark?.line) }
}
