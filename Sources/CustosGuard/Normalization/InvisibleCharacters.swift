/// Characters that render as nothing and are used to split or hide words from filters.
enum InvisibleCharacters {
    /// The kind of invisible character `scalar` is, or nil when it is visible.
    static func kind(of scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0x180E, 0x00AD, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0:
            return "zero_width"
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C:
            return "bidi_control"
        case 0xE0000...0xE007F:
            return "unicode_tag"
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF:
            return "variation_selector"
        default:
            return nil
        }
    }
}
