/// The text normalization of BERT's uncased tokenizer, as Hugging Face `tokenizers`' `BertNormalizer` does it
/// with `clean_text`, `handle_chinese_chars` and `lowercase` on (accent stripping follows `lowercase` when
/// `strip_accents` is null, which is the case for all-MiniLM-L6-v2).
public struct BertNormalizer: Sendable {
    /// Whether to lower-case the text.
    public var lowercase: Bool
    /// Whether to decompose (NFD) and drop non-spacing marks.
    public var stripAccents: Bool

    /// Creates a normalizer; by default lower-casing and accent stripping are on.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
    }

    /// The normalized text as Unicode scalars, in the order the reference applies the steps:
    /// clean (drop NUL, U+FFFD and control, format and private-use characters; whitespace becomes a space),
    /// pad CJK ideographs with spaces, strip accents (NFD, drop Mn), lower-case.
    public func normalize(_ text: String) -> [Unicode.Scalar] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isChineseCharacter(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(cleaned.count)
        let source = stripAccents ? String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars : cleaned
        for scalar in source {
            if stripAccents && scalar.properties.generalCategory == .nonspacingMark { continue }
            if lowercase {
                if scalar.isASCII {
                    let v = scalar.value
                    result.append(v >= 65 && v <= 90 ? Unicode.Scalar(UInt8(v + 32)) : scalar)
                } else {
                    result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Whitespace as BERT defines it: tab, newline, carriage return, and Unicode `White_Space`.
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r", " ": return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// Control characters as `tokenizers` treats them: Cc, Cf, Cs and Co except tab, newline and CR. Unassigned code
    /// points (Cn) are kept (and end up as `[UNK]`), as measured against `tokenizers` 0.23: its "other" table has no Cn.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse: return true
            default: return false
            }
        }
    }

    /// Punctuation as BERT defines it: any ASCII punctuation or symbol (`$`, `+`, `^`, …) or a Unicode P* category.
    public static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT splits into single characters (the list in the original
    /// BERT code; Hangul, kana and fullwidth punctuation are not in it).
    public static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
