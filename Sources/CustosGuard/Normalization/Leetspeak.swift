/// Digit and symbol substitutions for letters ("sh1t", "@ss", "$h!t").
enum Leetspeak {
    /// The letter a leetspeak character stands for.
    @inline(__always)
    static func letter(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x30: return "o"  // 0
        case 0x31, 0x21, 0x7C: return "i"  // 1 ! |
        case 0x33: return "e"  // 3
        case 0x34, 0x40: return "a"  // 4 @
        case 0x35, 0x24: return "s"  // 5 $
        case 0x37, 0x2B: return "t"  // 7 +
        case 0x38: return "b"  // 8
        case 0x39: return "g"  // 9
        default: return nil
        }
    }

    /// Replaces leetspeak characters inside every whitespace-separated token that contains a letter; a token's
    /// leading and trailing punctuation is left alone ("hello!" stays, "sh1t!" becomes "shit!").
    @discardableResult
    static func fold(_ scalars: inout [Unicode.Scalar]) -> Bool {
        var changed = false
        var p = 0
        let count = scalars.count
        // Only tokens holding a leetspeak character can change: find those characters, then their tokens.
        while p < count {
            guard isLeet(scalars[p].value) else {
                p += 1
                continue
            }
            var start = p
            while start > 0, !ScalarClasses.isSpace(scalars[start - 1]) { start -= 1 }
            var end = p + 1
            while end < count, !ScalarClasses.isSpace(scalars[end]) { end += 1 }
            if foldToken(&scalars, start..<end) { changed = true }
            p = end
        }
        return changed
    }

    /// Whether `letter(for:)` maps the value (a quick test for loops over a whole text).
    @inline(__always) private static func isLeet(_ v: UInt32) -> Bool { v < 128 && leetCharacters.contains(UInt8(v)) }

    private static let leetCharacters = ASCIISet("01345789!|@$+")

    private static func foldToken(_ scalars: inout [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        // Most tokens have no leetspeak character at all.
        guard range.contains(where: { letter(for: scalars[$0]) != nil }) else { return false }
        // The token's core: leading and trailing punctuation ("\"", "!", ",") is not part of the word.
        var first = range.lowerBound
        var last = range.upperBound - 1
        while first <= last, !isCore(scalars[first]) { first += 1 }
        while last >= first, !isCore(scalars[last]) { last -= 1 }
        guard last > first else { return false }
        let core = first...last
        let hasLetter = core.contains { ScalarClasses.isLetter(scalars[$0]) }
        let hasLeet = core.contains { !ScalarClasses.isLetter(scalars[$0]) && letter(for: scalars[$0]) != nil }
        // A core made only of leetspeak characters ("455", "70", "@$$") is a word when it has two different ones.
        let allLeet = !hasLetter && core.allSatisfy { letter(for: scalars[$0]) != nil } && Set(core.map { scalars[$0] }).count >= 2
        guard (hasLetter && hasLeet) || allLeet else { return false }
        // A leading '@' before letters is a mention ("@idiot"), not an 'a'.
        if scalars[first] == "@", hasLetter { first += 1 }
        guard first <= last else { return false }
        var changed = false
        for k in first...last {
            if let folded = letter(for: scalars[k]) {
                scalars[k] = folded
                changed = true
            }
        }
        return changed
    }

    /// Letters, digits and the symbols that stand for letters inside words.
    private static func isCore(_ s: Unicode.Scalar) -> Bool {
        ScalarClasses.isLetter(s) || isDigit(s) || s == "@" || s == "$"
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
}
