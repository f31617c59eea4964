import Foundation

/// Finds obviously encoded payloads: base64 runs that decode to readable text, and rot13 text.
enum PayloadDecoder {
    /// Shortest base64 run considered (16 characters decode to 12 bytes: shorter runs are ordinary words).
    static let minimumBase64Length = 16
    /// At most this many payloads per text, so crafted input cannot make the work unbounded.
    static let maximumPayloads = 32
    /// A decoded payload larger than this is cut (bytes).
    static let maximumPayloadBytes = 64 * 1024
    /// Words whose frequency tells English from rot13 gibberish.
    static let commonWords: Set<String> = [
        "the", "and", "you", "how", "what", "to", "is", "of", "in", "for", "your", "are", "with", "this", "that",
        "ignore", "instructions", "previous", "tell", "me", "make", "all", "a", "it", "do", "not", "can", "i",
    ]

    /// Base64 runs of `text` that decode to mostly printable UTF-8 text, with their Unicode-scalar spans.
    static func base64Segments(in text: String) -> [(Range<Int>, String)] {
        var out: [(Range<Int>, String)] = []
        var runStart = -1
        var index = 0
        var run = ""
        func flush() {
            defer { run = ""; runStart = -1 }
            guard run.count >= minimumBase64Length, out.count < maximumPayloads else { return }
            var body = String(run.prefix(maximumPayloadBytes / 3 * 4))
                .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while body.count % 4 != 0 { body += "=" }
            guard let data = Data(base64Encoded: body), let decoded = String(data: data, encoding: .utf8),
                  isReadable(decoded) else { return }
            out.append((runStart..<(runStart + run.unicodeScalars.count), decoded))
        }
        for scalar in text.unicodeScalars {
            if isBase64(scalar) {
                if runStart < 0 { runStart = index }
                run.unicodeScalars.append(scalar)
            } else if !run.isEmpty {
                flush()
            }
            index += 1
        }
        if !run.isEmpty { flush() }
        return out
    }

    /// The rot13 decoding of `text` when it reads as English and `folded` (the normalized text) does not, or
    /// when the text says it is rot13.
    static func rot13IfPlausible(_ text: String, folded: [Unicode.Scalar]) -> String? {
        guard text.utf8.count <= maximumPayloadBytes else { return nil }
        let rotated = rot13(text)
        let mentioned = text.lowercased().contains("rot13") || text.lowercased().contains("rot-13")
        let before = commonWordCount(text.lowercased())
        let after = commonWordCount(rotated.lowercased())
        guard mentioned || (after >= 3 && after > 2 * before) else { return nil }
        return rotated
    }

    static func rot13(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x41...0x5A: view.append(Unicode.Scalar(UInt8((s.value - 0x41 + 13) % 26 + 0x41)))
            case 0x61...0x7A: view.append(Unicode.Scalar(UInt8((s.value - 0x61 + 13) % 26 + 0x61)))
            default: view.append(s)
            }
        }
        return String(view)
    }

    private static func commonWordCount(_ text: String) -> Int {
        text.split(whereSeparator: { !$0.isLetter }).reduce(0) { $0 + (commonWords.contains(String($1)) ? 1 : 0) }
    }

    private static func isBase64(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2B, 0x2F, 0x3D, 0x2D, 0x5F: return true
        default: return false
        }
    }

    /// Mostly printable text with at least one space (so random binary and single tokens are not payloads).
    private static func isReadable(_ text: String) -> Bool {
        var printable = 0
        var total = 0
        var spaces = 0
        for s in text.unicodeScalars {
            total += 1
            if s == " " { spaces += 1 }
            if s.properties.isWhitespace || (s.value >= 0x20 && s.value < 0x7F) || s.properties.isAlphabetic { printable += 1 }
        }
        return total > 0 && spaces > 0 && Double(printable) >= 0.95 * Double(total)
    }
}
