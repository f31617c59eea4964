import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses markup with Foundation's `XMLParser` and records the element names it saw, or the parse error.
final class XMLWellFormedness: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private(set) var texts: [String] = []

    /// Returns nil when `markup` is well-formed XML, else the parser's error description.
    func check(_ markup: String) -> String? {
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = self
        if parser.parse() { return nil }
        return parser.parserError.map { String(describing: $0) } ?? "unknown XML error"
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        texts.append(string)
    }
}
