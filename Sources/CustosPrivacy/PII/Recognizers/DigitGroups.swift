/// Runs of digit groups joined by single separators, e.g. `4382 4021 8711 2980` or `715-866-8608`: the shared
/// candidate generator of the number recognizers.
struct DigitGroups {
    /// The groups' ranges in scalar offsets.
    var groups: [Range<Int>]
    /// The separator after each group but the last.
    var separators: [UInt32]

    /// Total digits in groups `a...b`.
    func digitCount(_ a: Int, _ b: Int) -> Int { groups[a...b].reduce(0) { $0 + $1.count } }

    /// Whether the separators between groups `a...b` are all the same one.
    func uniformSeparators(_ a: Int, _ b: Int) -> Bool {
        guard b > a else { return true }
        let first = separators[a]
        return separators[a..<b].allSatisfy { $0 == first }
    }

    /// The digits of groups `a...b` as numbers 0…9.
    func digits(_ v: [UInt32], _ a: Int, _ b: Int) -> [UInt8] {
        var out: [UInt8] = []
        for g in groups[a...b] { for k in g { out.append(UInt8(v[k] - 48)) } }
        return out
    }

    /// Reads the run starting at `start` (a digit); `allowed` are the separators accepted between groups.
    static func read(_ v: [UInt32], from start: Int, separators allowed: Set<UInt32>, maxGroups: Int = 8) -> DigitGroups {
        var groups: [Range<Int>] = []
        var seps: [UInt32] = []
        var i = start
        while i < v.count && groups.count < maxGroups {
            let g = i
            while i < v.count && Scalars.isDigit(v[i]) { i += 1 }
            guard i > g else { break }
            groups.append(g..<i)
            guard i + 1 < v.count, allowed.contains(v[i]), Scalars.isDigit(v[i + 1]) else { break }
            seps.append(v[i])
            i += 1
        }
        return DigitGroups(groups: groups, separators: seps)
    }

    /// Whether a number may start at `i`: not glued to a letter, digit or decimal point before it.
    static func boundaryBefore(_ v: [UInt32], _ i: Int) -> Bool {
        guard i > 0 else { return true }
        let p = v[i - 1]
        if Scalars.isASCIIAlnum(p) || p == 95 { return false }
        if (p == 46 || p == 44 || p == 45 || p == 47 || p == 43) && i >= 2 && Scalars.isDigit(v[i - 2]) { return false }
        return !Scalars.gluesToWord(p)
    }

    /// Whether a number may end at `end`: not glued to a letter or digit, nor continued by `.digit`, `,digit`.
    static func boundaryAfter(_ v: [UInt32], _ end: Int) -> Bool {
        guard end < v.count else { return true }
        let n = v[end]
        if Scalars.isASCIIAlnum(n) || n == 95 { return false }
        if (n == 46 || n == 44 || n == 45 || n == 47) && end + 1 < v.count && Scalars.isDigit(v[end + 1]) { return false }
        return !Scalars.gluesToWord(n)
    }
}
