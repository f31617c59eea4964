/// Adversarial rewrites used to measure evasion: each keeps the text readable to a person.
public enum Perturbation: String, Sendable, Codable, CaseIterable {
    /// Letters replaced by digits and symbols in every word: a→4, e→3, i→1, o→0, s→5, t→7.
    case leetspeak
    /// Latin letters replaced by Cyrillic look-alikes in every word.
    case homoglyph
    /// A zero-width space after every letter inside words.
    case zeroWidth = "zero-width"
    /// Every other word of three or more letters spelled out with spaces ("f u c k").
    case spacing

    /// `text` rewritten.
    public func apply(_ text: String) -> String {
        switch self {
        case .leetspeak: return map(text) { Self.leet[$0] }
        case .homoglyph: return map(text) { Self.cyrillic[$0] }
        case .zeroWidth:
            var out = String.UnicodeScalarView()
            let scalars = Array(text.unicodeScalars)
            for (k, s) in scalars.enumerated() {
                out.append(s)
                if s.properties.isAlphabetic, k + 1 < scalars.count, scalars[k + 1].properties.isAlphabetic { out.append("\u{200B}") }
            }
            return String(out)
        case .spacing:
            var out = String.UnicodeScalarView()
            var word: [Unicode.Scalar] = []
            var wordIndex = 0
            func flush() {
                if word.count >= 3 {
                    if wordIndex % 2 == 0 {
                        for (k, s) in word.enumerated() {
                            if k > 0 { out.append(" ") }
                            out.append(s)
                        }
                    } else {
                        out.append(contentsOf: word)
                    }
                    wordIndex += 1
                } else {
                    out.append(contentsOf: word)
                }
                word.removeAll()
            }
            for s in text.unicodeScalars {
                if s.properties.isAlphabetic { word.append(s) } else { flush(); out.append(s) }
            }
            flush()
            return String(out)
        }
    }

    private func map(_ text: String, _ substitute: (Unicode.Scalar) -> Unicode.Scalar?) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(substitute(s) ?? s) }
        return String(out)
    }

    private static let leet: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "A": "4", "E": "3", "I": "1", "O": "0", "S": "5", "T": "7",
    ]
    private static let cyrillic: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "\u{0430}", "e": "\u{0435}", "o": "\u{043E}", "p": "\u{0440}", "c": "\u{0441}", "x": "\u{0445}", "y": "\u{0443}",
        "i": "\u{0456}", "A": "\u{0410}", "E": "\u{0415}", "O": "\u{041E}", "P": "\u{0420}", "C": "\u{0421}", "X": "\u{0425}",
        "T": "\u{0422}", "H": "\u{041D}", "K": "\u{041A}", "M": "\u{041C}", "B": "\u{0412}",
    ]
}
