/// Digit and symbol substitutions for letters ("sh1t", "@ss", "$h!t").
enum Leetspeak {
    /// The letter a leetspeak character stands for.
    static func letter(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "0": return "o"
        case "1", "!", "|": return "i"
        case "3": return "e"
        case "4", "@": return "a"
        case "5", "$": return "s"
        case "7", "+": return "t"
        case "8": return "b"
        case "9": return "g"
        default: return nil
        }
    }

    /// Replaces leetspeak characters inside every whitespace-separated token that contains a letter; a token's
    /// leading and trailing punctuation is left alone ("hello!" stays, "sh1t!" becomes "shit!").
    static func fold(_ scalars: inout [Unicode.Scalar]) {
        var start = 0
        let count = scalars.count
        while start < count {
            while start < count, scalars[start].properties.isWhitespace { start += 1 }
            var end = start
            while end < count, !scalars[end].properties.isWhitespace { end += 1 }
            foldToken(&scalars, start..<end)
            start = end
        }
    }

    private static func foldToken(_ scalars: inout [Unicode.Scalar], _ range: Range<Int>) {
        // The token's core: leading and trailing punctuation ("\"", "!", ",") is not part of the word.
        var first = range.lowerBound
        var last = range.upperBound - 1
        while first <= last, !isCore(scalars[first]) { first += 1 }
        while last >= first, !isCore(scalars[last]) { last -= 1 }
        guard last > first else { return }
        let core = first...last
        let hasLetter = core.contains { scalars[$0].properties.isAlphabetic }
        let hasLeet = core.contains { !scalars[$0].properties.isAlphabetic && letter(for: scalars[$0]) != nil }
        // A core made only of leetspeak characters ("455", "70", "@$$") is a word when it has two different ones.
        let allLeet = !hasLetter && core.allSatisfy { letter(for: scalars[$0]) != nil } && Set(core.map { scalars[$0] }).count >= 2
        guard (hasLetter && hasLeet) || allLeet else { return }
        // A leading '@' before letters is a mention ("@idiot"), not an 'a'.
        if scalars[first] == "@", hasLetter { first += 1 }
        guard first <= last else { return }
        for k in first...last {
            if let folded = letter(for: scalars[k]) { scalars[k] = folded }
        }
    }

    /// Letters, digits and the symbols that stand for letters inside words.
    private static func isCore(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || isDigit(s) || s == "@" || s == "$"
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
}
