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
        guard range.count >= 2 else { return }
        var hasLetter = false
        var hasLeet = false
        for k in range {
            let s = scalars[k]
            if s.properties.isAlphabetic { hasLetter = true } else if letter(for: s) != nil { hasLeet = true }
        }
        // A token made only of leetspeak characters ("455", "@$$") is a word too when it has three or more of
        // them, at least two different; numbers with other digits ("2024") keep their digits.
        let allLeet = !hasLetter && range.count >= 3 && range.allSatisfy { letter(for: scalars[$0]) != nil }
            && Set(range.map { scalars[$0] }).count >= 2
        guard (hasLetter && hasLeet) || allLeet else { return }
        // Trailing symbols ("!", "|") are punctuation, not letters, unless a letter follows them.
        var last = range.upperBound - 1
        while last >= range.lowerBound, !scalars[last].properties.isAlphabetic, !isDigit(scalars[last]) { last -= 1 }
        var first = range.lowerBound
        while first <= last, !scalars[first].properties.isAlphabetic, !isDigit(scalars[first]),
              scalars[first] != "@", scalars[first] != "$" { first += 1 }
        guard first <= last else { return }
        for k in first...last {
            if let folded = letter(for: scalars[k]) { scalars[k] = folded }
        }
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
}
