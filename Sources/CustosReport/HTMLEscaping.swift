/// Escapes text for HTML and XML (SVG) so user data can never become markup.
public enum HTMLEscaping {
    /// Returns `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in text and quoted attributes.
    public static func escape(_ text: String) -> String {
        // Fast path: most labels and numbers need no escaping at all.
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var out = String()
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // `&#39;` rather than `&apos;`: the latter is not defined in HTML 4 and some older parsers.
            case "'": out += "&#39;"
            default:
                // XML 1.0 forbids most C0 controls even as references; drop them rather than emit invalid markup.
                if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": return true
        default: return scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r"
        }
    }

    /// Returns `name` reduced to the characters allowed in a CSS class token (`A–Z a–z 0–9 _ -`), or nil when nothing is left.
    public static func cssClass(_ name: String) -> String? {
        let kept = name.unicodeScalars.filter { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
        }
        guard !kept.isEmpty else { return nil }
        return String(String.UnicodeScalarView(kept))
    }
}
