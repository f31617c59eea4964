import CustosCore
import Foundation
import Yams

/// Sentence templates with an identity slot, and identity terms by category, for auditing a text classifier
/// (Dixon et al. 2018). Every template is filled with every term, so a difference between terms can only come from
/// the term itself.
///
/// The YAML file (the built-in one is `Resources/identity_templates.yaml`; copy and extend it):
/// ```yaml
/// identities:
///   religion: [muslim, christian, jewish]
/// templates:
///   toxic: ["I hate all {identity} people."]
///   non_toxic: ["I am {identity}."]
/// ```
/// `{identity}` is the term; `{Identity}` the term with its first letter capitalized (sentence starts).
public struct IdentityTemplates: Sendable, Equatable {
    /// A term and its category.
    public struct Term: Sendable, Equatable {
        /// The identity term ("muslim").
        public var term: String
        /// Its category ("religion").
        public var category: String
    }

    /// One filled template.
    public struct Sentence: Sendable, Equatable {
        /// The text.
        public var text: String
        /// The term in it.
        public var identity: String
        /// The term's category.
        public var category: String
        /// Whether the template is toxic.
        public var toxic: Bool
        /// The template it came from.
        public var template: String
    }

    /// Terms, in file order.
    public var terms: [Term]
    /// Toxic templates.
    public var toxic: [String]
    /// Non-toxic templates.
    public var nonToxic: [String]

    /// The built-in set shipped with Custos.
    public static func builtIn() throws -> IdentityTemplates {
        guard let url = Bundle.module.url(forResource: "identity_templates", withExtension: "yaml") else {
            throw CustosError(.internal, "the built-in identity templates are missing from the CustosEval bundle")
        }
        return try load(path: url.path)
    }

    /// Loads a template file; errors name the file and line.
    public static func load(path: String) throws -> IdentityTemplates {
        try parse(FileInput.readText(path, limit: 16 << 20), file: path)
    }

    /// Parses template YAML (see the type's documentation).
    public static func parse(_ yaml: String, file: String? = nil) throws -> IdentityTemplates {
        let document = try YAMLMapping(yaml, file: file, what: "the template file", shape: "'identities' and 'templates'",
                                       keys: ["identities", "templates"])
        let (root, top) = (document.root, document.top)
        func location(_ node: Node?) -> SourceLocation { document.location(node) }
        guard let identitiesNode = top["identities"], let identities = identitiesNode.mapping, !identities.isEmpty else {
            throw CustosError(.invalidInput, "'identities' must map categories to lists of terms", at: location(top["identities"] ?? root))
        }
        var terms: [Term] = []
        var seen: [String: Int?] = [:]
        for (categoryNode, listNode) in identities {
            guard let category = categoryNode.string, !category.isEmpty else {
                throw CustosError(.invalidInput, "a category name must be text", at: location(categoryNode))
            }
            let list = try strings(listNode, what: "the terms of '\(category)'", location: location)
            for (term, node) in list {
                if let earlier = seen[term.lowercased()] {
                    throw CustosError(.invalidInput, "the term '\(term)' is listed twice (first on line \(earlier.map(String.init) ?? "?"))", at: location(node))
                }
                seen[term.lowercased()] = node.mark?.line
                terms.append(Term(term: term, category: category))
            }
        }
        guard let templatesNode = top["templates"], let templates = templatesNode.mapping else {
            throw CustosError(.invalidInput, "'templates' must hold 'toxic' and 'non_toxic' lists", at: location(top["templates"] ?? root))
        }
        for (key, _) in templates where !["toxic", "non_toxic"].contains(key.string ?? "") {
            throw CustosError(.invalidInput, "unknown template kind '\(key.string ?? "?")' (known: toxic, non_toxic)", at: location(key))
        }
        func templateList(_ kind: String) throws -> [String] {
            guard let node = templates[kind] else {
                throw CustosError(.invalidInput, "'templates' needs a '\(kind)' list", at: location(templatesNode))
            }
            return try strings(node, what: "the \(kind) templates", location: location).map { text, node in
                let slots = text.components(separatedBy: "{identity}").count + text.components(separatedBy: "{Identity}").count - 2
                guard slots == 1 else {
                    throw CustosError(.invalidInput, "the template '\(text)' must hold exactly one {identity} (or {Identity}) slot", at: location(node))
                }
                return text
            }
        }
        return IdentityTemplates(terms: terms, toxic: try templateList("toxic"), nonToxic: try templateList("non_toxic"))
    }

    /// Every template filled with every term: toxic templates first, then non-toxic, term by term.
    public var sentences: [Sentence] {
        var out: [Sentence] = []
        for (templates, toxic) in [(toxic, true), (nonToxic, false)] {
            for template in templates {
                for term in terms {
                    let capitalized = term.term.prefix(1).uppercased() + term.term.dropFirst()
                    let text = template.replacingOccurrences(of: "{identity}", with: term.term)
                        .replacingOccurrences(of: "{Identity}", with: capitalized)
                    out.append(Sentence(text: text, identity: term.term, category: term.category, toxic: toxic, template: template))
                }
            }
        }
        return out
    }

    private static func strings(_ node: Node, what: String, location: (Node?) -> SourceLocation) throws -> [(String, Node)] {
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw CustosError(.invalidInput, "\(what) must be a non-empty list", at: location(node))
        }
        return try sequence.map { item in
            guard let text = item.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CustosError(.invalidInput, "\(what): every entry must be non-empty text", at: location(item))
            }
            return (text, item)
        }
    }
}
