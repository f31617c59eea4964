/// Joins letters spelled out with separators ("f u c k", "f.u.c.k", "s h 1 t").
enum SpacedLetters {
    /// Separators that may sit between spelled-out letters (one kind per run): space . - _ * /
    @inline(__always)
    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x2E, 0x2D, 0x5F, 0x2A, 0x2F: return true
        default: return false
        }
    }
    /// Shortest run of single letters that is joined: two letters ("a b") occur in ordinary text.
    static let minimumLetters = 3

    /// Joins the runs in place (leetspeak characters inside a run become letters), keeping the offset arrays
    /// in step with the scalars.
    @discardableResult
    static func fold(_ scalars: inout [Unicode.Scalar], _ originStart: inout [Int32], _ originEnd: inout [Int32]) -> Bool {
        let runs = self.runs(scalars)
        guard !runs.isEmpty else { return false }
        var keep = [Bool](repeating: true, count: scalars.count)
        for run in runs {
            for k in stride(from: run.lowerBound, to: run.upperBound, by: 2) {
                if let letter = Leetspeak.letter(for: scalars[k]) { scalars[k] = letter }
                if k + 1 < run.upperBound { keep[k + 1] = false }
            }
        }
        scalars = scalars.indices.filter { keep[$0] }.map { scalars[$0] }
        originStart = originStart.indices.filter { keep[$0] }.map { originStart[$0] }
        originEnd = originEnd.indices.filter { keep[$0] }.map { originEnd[$0] }
        return true
    }

    /// Runs "letter sep letter sep ... letter" of at least `minimumLetters` single characters, mostly letters.
    static func runs(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let count = scalars.count
        var k = 0
        while k < count {
            guard k + 2 < count, isSeparator(scalars[k + 1]), isLetterLike(scalars[k]),
                  k == 0 || !isWordScalar(scalars[k - 1]) else { k += 1; continue }
            let sep = scalars[k + 1]
            var letters = 1
            var real = ScalarClasses.isLetter(scalars[k]) ? 1 : 0
            var j = k
            while j + 2 < count, scalars[j + 1] == sep, isLetterLike(scalars[j + 2]),
                  j + 3 >= count || !isWordScalar(scalars[j + 3]) {
                letters += 1
                if ScalarClasses.isLetter(scalars[j + 2]) { real += 1 }
                j += 2
            }
            if letters >= minimumLetters, real * 2 > letters {
                // "a f a i l u r e", "b r a n d e d a": a one-letter word ('a', 'i') next to a spelled-out word
                // joins the run. Split it off when the joined word is not a known word and the rest is.
                var lower = k
                var upper = j
                let word = String(String.UnicodeScalarView(stride(from: k, through: j, by: 2).map { Leetspeak.letter(for: scalars[$0]) ?? scalars[$0] }))
                if !isKnownWord(word) {
                    let dropFirst = isOneLetterWord(scalars[k]) && letters > minimumLetters
                    let dropLast = isOneLetterWord(scalars[j]) && letters > minimumLetters
                    if dropFirst, isKnownWord(String(word.dropFirst())) {
                        lower += 2
                    } else if dropLast, isKnownWord(String(word.dropLast())) {
                        upper -= 2
                    } else if dropFirst, dropLast, letters > minimumLetters + 1, isKnownWord(String(word.dropFirst().dropLast())) {
                        lower += 2
                        upper -= 2
                    }
                }
                out.append(lower..<(upper + 1))
                k = j + 1
            } else {
                k += 1
            }
        }
        return out
    }

    /// Words the offensive-language model knows (15,442 terms, bundled): the dictionary that tells "a failure"
    /// from "afailure". Empty when the model cannot be loaded (then runs are joined whole).
    static let dictionary: Set<String> = Set((try? ProfanityModel.bundled().vocabulary.keys).map(Array.init) ?? [])

    private static func isKnownWord(_ word: String) -> Bool { dictionary.contains(word) }

    private static func isOneLetterWord(_ s: Unicode.Scalar) -> Bool { s == "a" || s == "i" }

    private static func isLetterLike(_ s: Unicode.Scalar) -> Bool { ScalarClasses.isLetter(s) || Leetspeak.letter(for: s) != nil }
    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool { ScalarClasses.isLetter(s) || ScalarClasses.isDigit(s) }
}
