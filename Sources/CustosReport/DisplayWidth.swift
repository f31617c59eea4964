/// Measures and truncates text by terminal display columns: combining marks take none, East Asian wide characters and emoji take two.
public enum DisplayWidth {
    /// The number of terminal columns `text` occupies (an approximation of `wcswidth` at the grapheme level).
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// The number of terminal columns one grapheme cluster occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Emoji sequences (a base followed by VS16, or with ZWJ / skin tones) render two columns wide.
        if scalars.count > 1, scalars.contains(where: { $0.value == 0xFE0F }), first.properties.isEmoji { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isZeroWidth(first) { return 0 }
        return isWide(first) ? 2 : 1
    }

    /// Shortens `text` to at most `width` columns, ending with "…" when something was cut; whole graphemes only.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        var kept = ""
        var used = 0
        let budget = width - 1 // room for the ellipsis
        for character in text {
            let next = of(character)
            if used + next > budget { break }
            kept.append(character)
            used += next
        }
        // "Native Hawaiian or …" reads worse than "Native Hawaiian or…".
        while kept.last?.isWhitespace == true { kept.removeLast() }
        return kept + "…"
    }

    /// Returns `text` padded with spaces to `width` columns on the side given by `alignment` (no truncation).
    public static func pad(_ text: String, to width: Int, alignment: TextAlignment) -> String {
        let padding = String(repeating: " ", count: max(0, width - of(text)))
        switch alignment {
        case .left: return text + padding
        case .right: return padding + text
        case .center:
            let left = padding.count / 2
            return String(padding.prefix(left)) + text + String(padding.dropFirst(left))
        }
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: return scalar.value == 0x200B
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks from Unicode UAX #11, coarsened to whole blocks.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F,   // Hangul Jamo initials
             0x2E80...0x303E,   // CJK radicals, Kangxi, CJK symbols and punctuation
             0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, CJK compatibility
             0x3400...0x4DBF,   // CJK Extension A
             0x4E00...0x9FFF,   // CJK Unified Ideographs
             0xA000...0xA4CF,   // Yi
             0xAC00...0xD7A3,   // Hangul syllables
             0xF900...0xFAFF,   // CJK compatibility ideographs
             0xFE30...0xFE4F,   // CJK compatibility forms
             0xFF00...0xFF60,   // Fullwidth forms
             0xFFE0...0xFFE6,   // Fullwidth signs
             0x1F300...0x1F64F, // Pictographs and emoticons
             0x1F900...0x1F9FF, // Supplemental symbols and pictographs
             0x20000...0x3FFFD: // CJK Extensions B and beyond
            return true
        default:
            return false
        }
    }
}

/// Horizontal alignment of text in a table column or chart label.
public enum TextAlignment: String, Sendable, Hashable, Codable {
    /// Flush left; the default for text.
    case left
    /// Flush right; the default for numbers.
    case right
    /// Centred.
    case center
}
