import Foundation

/// One kind of secret: a regular expression run only on lines that contain one of its anchors.
struct SecretRule: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and safe to use from several threads.
    /// The finding type, e.g. `aws_access_key_id`.
    let type: String
    /// Literal strings one of which every match contains (lowercase when `caseInsensitiveAnchors`).
    let anchors: [[UInt8]]
    /// Whether anchors are compared with the line lowercased (ASCII).
    let caseInsensitiveAnchors: Bool
    /// The pattern; capture group `group` is the secret's span.
    let regex: NSRegularExpression?
    /// The capture group that is the secret.
    let group: Int
    /// Extra check on the captured value (placeholders, entropy).
    let accept: @Sendable (String) -> Bool

    init(
        _ type: String, anchors: [String], caseInsensitive: Bool = false, pattern: String, group: Int = 0,
        accept: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.type = type
        self.anchors = anchors.map { Array((caseInsensitive ? $0.lowercased() : $0).utf8) }
        self.caseInsensitiveAnchors = caseInsensitive
        // The patterns are literals in this module; a typo is a programming error caught by the tests.
        self.regex = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        self.group = group
        self.accept = accept
    }

    /// Whether `line` (UTF-8, lowercased copy in `lowered`) may contain a match.
    func mayMatch(_ line: ArraySlice<UInt8>, lowered: ArraySlice<UInt8>) -> Bool {
        let haystack = caseInsensitiveAnchors ? lowered : line
        return anchors.contains { ByteSearch.contains(haystack, $0) }
    }
}
