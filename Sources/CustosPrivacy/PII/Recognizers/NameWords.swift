/// Words of Latin-script text for the gazetteer recognizers: runs of letters and combining marks, with inner
/// apostrophes and hyphens (`O'Neil`, `Jean-Luc`, `Müller-Lüdenscheidt`).
struct Word: Sendable {
    var range: Range<Int>
    /// First letter upper-case and not the whole word in capitals (unless it has at most two letters).
    var isCapitalized: Bool
    /// The gazetteer lists the word is on (looked up once, when the text is split).
    var kinds: WordKinds

    /// The word's text.
    func text(_ v: [UInt32]) -> String { ScalarText.string(v[range]) }

    /// Whether the word is on any of `kinds`' lists.
    @inline(__always) func isA(_ kinds: WordKinds) -> Bool { !self.kinds.isDisjoint(with: kinds) }
}

enum NameWords {
    /// Name particles that join given and family names (`Ana Clara da Rocha`, `María Del Carmen`).
    static let particles: [String] = [
        "da", "de", "del", "della", "di", "do", "dos", "das", "du", "van", "von", "der", "den", "le", "la", "y", "bin",
        "al", "ten", "ter", "De", "Del", "Da", "Di", "Van", "Von", "Du", "Le", "La", "Dos", "Della",
    ]
    /// Secondary-unit words of street addresses (`Apt 4`, `Suite 792`, `Studio 77`).
    static let secondaryUnits: [String] = ["Apt", "Suite", "Unit", "Flat", "Studio", "Ste"]
    /// Lower-case words inside French street names (`chemin de la Croix`).
    static let connectors: [String] = ["de", "du", "des", "la", "le"]

    /// The words of `text`, each looked up in `lexicon` (no kinds without one).
    static func words(_ text: ScalarText, lexicon: Lexicon?) -> [Word] {
        let v = text.values
        var out: [Word] = []
        out.reserveCapacity(v.count / 5)
        var i = 0
        let n = v.count
        while i < n {
            let first = v[i]
            guard first < 0x80 ? Scalars.isASCIILetter(first) : Scalars.isLetter(first) && !Scalars.isCJK(first) else { i += 1; continue }
            let start = i
            var h = Lexicon.step(Lexicon.seed, first)
            var upperCount = Scalars.isUppercaseLetter(first) ? 1 : 0
            let capitalFirst = upperCount == 1
            i += 1
            while i < n {
                let c = v[i]
                let inWord: Bool
                if c < 0x80 {
                    // Letters and `_` (digits end a word); `'` and `-` only between letters.
                    if Scalars.isASCIILetter(c) || c == 95 {
                        inWord = true
                    } else {
                        inWord = (c == 39 || c == 45) && i + 1 < n && Scalars.isLetter(v[i + 1]) && !Scalars.isCJK(v[i + 1])
                    }
                } else if Scalars.isWordChar(c) && !Scalars.isCJK(c) && !Scalars.isDigit(c) {
                    inWord = true
                } else {
                    inWord = c == 0x2019 && i + 1 < n && Scalars.isLetter(v[i + 1]) && !Scalars.isCJK(v[i + 1])
                }
                guard inWord else { break }
                if capitalFirst && Scalars.isUppercaseLetter(c) { upperCount += 1 }
                h = Lexicon.step(h, c)
                i += 1
            }
            let capitalized = capitalFirst && (upperCount < i - start || i - start <= 2)
            let kinds = lexicon?.kinds(v, start..<i, hash: Lexicon.finish(h)) ?? []
            out.append(Word(range: start..<i, isCapitalized: capitalized, kinds: kinds))
        }
        return out
    }

    /// Whether only a single space (or a no-break space) separates two words.
    @inline(__always) static func adjacent(_ a: Word, _ b: Word, _ v: [UInt32]) -> Bool {
        b.range.lowerBound == a.range.upperBound + 1 && (v[a.range.upperBound] == 32 || v[a.range.upperBound] == 0xA0)
    }
}

/// PERSON from the gazetteer: two to four adjacent capitalized words that are known given or family names in
/// either order (`Linda Brown`, `Dương Jane`, `Adèle Blondel`), possibly joined by particles (`Ana Clara da Rocha`,
/// `María Del Carmen Iriarte`) — score 0.85; a known given name followed by an unknown capitalized word, or an
/// unknown word followed by a known family name — score 0.4, so a context word (`name`, `dear`, `Mr`, `thanks`,
/// `estimado`, …) must confirm it; in Chinese, Japanese and Korean
/// text, a known family name directly followed (or after one space) by a known given name (`西村 智也`, `이영미`).
public struct PersonRecognizer: Recognizer {
    public let name = "person"
    public let entities: [EntityType] = [.person]
    public let contextWords = [
        "name", "named", "mr", "mrs", "ms", "miss", "dr", "dear", "hi", "hello", "patient", "customer", "client",
        "user", "employee", "by", "from", "contact", "signed", "regards", "verified", "cc", "attn", "manager",
        "agent", "applicant", "holder", "owner", "tenant", "herr", "frau", "monsieur", "madame", "sr", "sra",
        "thanks", "thx", "thank", "estimado", "estimada", "querido", "querida", "hola", "liebe", "lieber", "cher", "chère",
        "bonjour", "geehrte", "geehrter", "caro", "cara", "gentile", "ciao", "olá", "prezado", "prezada", "beste", "hallo",
        "för", "pls", "please", "ask", "tell", "to", "with", "and", "met", "meet", "call", "emailed",
    ]
    /// The names.
    public let gazetteer: Gazetteer
    /// Score when every word is a known name.
    public var score = 0.85
    /// Score when only the given name is known.
    public var weakScore = 0.4

    public init(gazetteer: Gazetteer) { self.gazetteer = gazetteer }

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        let words = text.words(lexicon: gazetteer.lexicon)
        var k = 0
        while k + 1 < words.count {
            let a = words[k]
            guard a.isCapitalized, !a.isA(.particle), NameWords.adjacent(a, words[k + 1], v) else {
                k += 1
                continue
            }
            if !a.isA(.name) {
                // `Patient Raymond Anderson` starts at `Raymond`; an unknown word before a known family name that is
                // not also a given name (`Dalila Agustí`) is a weak candidate of two words.
                let b = words[k + 1]
                if b.isCapitalized, b.isA(.lastName), !b.isA(.firstName),
                   !(k + 2 < words.count && NameWords.adjacent(b, words[k + 2], v) && words[k + 2].isA(.name)) {
                    spans.append(EntitySpan(start: a.range.lowerBound, end: b.range.upperBound, type: .person, score: weakScore, recognizer: name))
                    k += 2
                } else {
                    k += 1
                }
                continue
            }
            // Extend over known names, particles followed by a capitalized word, and at most one unknown word.
            var names = [k]
            var sawParticle = false
            var j = k + 1
            while j < words.count && names.count < 4 && NameWords.adjacent(words[j - 1], words[j], v) {
                let w = words[j]
                if w.isA(.particle) {
                    guard j + 1 < words.count, NameWords.adjacent(w, words[j + 1], v), words[j + 1].isCapitalized,
                          !words[j + 1].isA(.particle) else { break }
                    sawParticle = true
                    names.append(j + 1)
                    j += 2
                    continue
                }
                guard w.isCapitalized else { break }
                if w.isA(.name) {
                    names.append(j)
                    j += 1
                    continue
                }
                if names.count == 1 { names.append(j) }
                break
            }
            guard names.count >= 2, let lastIndex = names.last else { k += 1; continue }
            let known = names.filter { words[$0].isA(.name) }.count
            let s: Double
            if known == names.count || (sawParticle && a.isA(.name)) {
                s = score
            } else if a.isA(.firstName) || names.dropFirst().contains(where: { words[$0].isA(.lastName) }) {
                s = weakScore
            } else {
                k += 1
                continue
            }
            spans.append(EntitySpan(start: a.range.lowerBound, end: words[lastIndex].range.upperBound, type: .person, score: s, recognizer: name))
            k = lastIndex + 1
        }
        recognizeCJK(text, into: &spans)
    }

    func recognizeCJK(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        var i = 0
        while i < v.count {
            guard Scalars.isCJK(v[i]) else { i += 1; continue }
            if let lastEnd = longest(in: gazetteer.lastNames, v, at: i, maxLength: 2) {
                var j = lastEnd
                if j < v.count && v[j] == 32 { j += 1 }
                if let end = longest(in: gazetteer.firstNames, v, at: j, maxLength: 3), j < v.count, Scalars.isCJK(v[j]) {
                    spans.append(EntitySpan(start: i, end: end, type: .person, score: score, recognizer: name))
                    i = end
                    continue
                }
            }
            i += 1
        }
    }

    /// The end of the longest gazetteer entry of CJK characters starting at `start`.
    func longest(in set: Set<String>, _ v: [UInt32], at start: Int, maxLength: Int) -> Int? {
        var best: Int?
        var length = 1
        while length <= maxLength && start + length <= v.count && Scalars.isCJK(v[start + length - 1]) {
            if set.contains(ScalarText.string(v[start..<(start + length)])) { best = start + length }
            length += 1
        }
        return best
    }
}
