/// LOCATION from the gazetteer and address grammar:
/// - **street addresses** in the shapes of the US/UK (`760 Morris Manors, Millerside, CO 90766`,
///   `Studio 77\nWalsh Center, Danielleside LA86 5ET`), France (`87, chemin Julien Fabre, 85398 Saint Frédéric`)
///   and Germany (`Reichmannstr. 30, 64884 Gransee`): a street line anchored by a known street-type word and a
///   building number, extended over the parts that follow it (secondary unit, city, region code, ZIP or
///   postcode) — score 0.85;
/// - **place names**: gazetteer cities, towns and regions (longest match, up to three words; in CJK text, chained
///   entries such as `川崎市宮前区`, with a place suffix such as `县`), and city names composed the way they are formed
///   (`North Joshua`, `Port Troyfort`, `Millerside`) — score 0.45 (one gazetteer word: needs a context word such as
///   `in`, `from`, `city`) to 0.9.
public struct LocationRecognizer: Recognizer {
    public let name = "location"
    public let entities: [EntityType] = [.location]
    public let contextWords = [
        "in", "from", "at", "to", "near", "city", "town", "address", "addr", "live", "lives", "living", "located",
        "moved", "ship", "shipping", "deliver", "delivery", "billing", "residence", "resident", "visited", "born",
        "hometown", "village", "wohnort", "adresse", "ville",
    ]
    /// The places and name lists.
    public let gazetteer: Gazetteer
    /// Score of a street address.
    public var addressScore = 0.85
    /// Score of a composed city name with a prefix word (`North Joshua`): above a two-word PERSON's.
    public var prefixedCityScore = 0.9
    /// Score of a gazetteer place of two or more words.
    public var multiWordPlaceScore = 0.85
    /// Score of a single word composed like a city name (`Millerside`).
    public var composedCityScore = 0.6
    /// Score of a single-word gazetteer place: many are also ordinary words (`Best`), so context must confirm it.
    public var placeScore = 0.45

    public init(gazetteer: Gazetteer) { self.gazetteer = gazetteer }

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        let words = text.words(lexicon: gazetteer.lexicon)
        var covered = 0
        for (k, w) in words.enumerated() where w.range.lowerBound >= covered {
            if let address = streetAddress(v, words, k) {
                let end = extend(v, from: address.upperBound)
                spans.append(EntitySpan(start: address.lowerBound, end: end, type: .location, score: addressScore, recognizer: name))
                covered = end
                continue
            }
            guard w.isCapitalized || w.isA(.cityPrefix) else { continue }
            if let (end, s) = place(v, words, k) {
                spans.append(EntitySpan(start: w.range.lowerBound, end: end, type: .location, score: s, recognizer: name))
                covered = end
            }
        }
        recognizeCJK(text, into: &spans)
    }

    // MARK: street lines

    /// A street line whose words include `words[k]` as the first name word (US/UK/FR) or the street word (DE).
    func streetAddress(_ v: [UInt32], _ words: [Word], _ k: Int) -> Range<Int>? {
        let w = words[k]
        // US/UK: number, 1–3 capitalized words, a street suffix.
        if w.isCapitalized, let numberStart = numberBefore(v, w.range.lowerBound, commaToo: false) {
            var j = k
            while j < words.count && j < k + 4 {
                if j > k && words[j].isA(.streetSuffix) && words[j].isCapitalized {
                    return numberStart..<secondary(v, words, after: j)
                }
                guard words[j].isCapitalized, j + 1 < words.count, NameWords.adjacent(words[j], words[j + 1], v) else { break }
                j += 1
            }
        }
        // UK secondary first: `Flat 12`/`Studio 77` then a line break or comma, then words and a street suffix.
        if w.isCapitalized, w.isA(.secondaryUnit), let (numberEnd, _) = number(v, after: w.range.upperBound) {
            var p = numberEnd
            if p < v.count && Scalars.isUpper(v[p]) && p + 1 < v.count && !Scalars.isLetter(v[p + 1]) { p += 1 }
            if p < v.count && (v[p] == 10 || v[p] == 44) {
                if let next = words.firstIndex(where: { $0.range.lowerBound > p }), words[next].range.lowerBound <= p + 2 {
                    var j = next
                    while j < words.count && j < next + 4 && words[j].isCapitalized {
                        if j > next && words[j].isA(.streetSuffix) { return w.range.lowerBound..<words[j].range.upperBound }
                        guard j + 1 < words.count, NameWords.adjacent(words[j], words[j + 1], v) else { break }
                        j += 1
                    }
                }
            }
        }
        // France: number, comma, a street prefix word (lower case), then capitalized words.
        if w.isA(.streetPrefix), let numberStart = numberBefore(v, w.range.lowerBound, commaToo: true) {
            var j = k + 1
            var last = k
            while j < words.count && j < k + 6 && NameWords.adjacent(words[j - 1], words[j], v)
                    && (words[j].isCapitalized || words[j].isA(.connector)) {
                if words[j].isCapitalized { last = j }
                j += 1
            }
            if last > k { return numberStart..<words[last].range.upperBound }
        }
        // Germany: a capitalized word ending in a street suffix, then a building number.
        if w.isCapitalized, let suffixEnd = germanStreetEnd(v, w), let (numberEnd, _) = number(v, after: suffixEnd) {
            return w.range.lowerBound..<numberEnd
        }
        return nil
    }

    /// After a street suffix: `Apt. 844`, `Suite 792`.
    func secondary(_ v: [UInt32], _ words: [Word], after j: Int) -> Int {
        var end = words[j].range.upperBound
        if j + 1 < words.count, words[j + 1].isA(.secondaryUnit),
           words[j + 1].range.lowerBound == end + 1 {
            var p = words[j + 1].range.upperBound
            if p < v.count && v[p] == 46 { p += 1 }
            if let (numberEnd, _) = number(v, after: p) { end = numberEnd }
        }
        return end
    }

    static let germanStreetSuffixes: [[UInt32]] = ["str", "straße", "strasse", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer", "chaussee"]
        .map { $0.unicodeScalars.map(\.value) }

    /// The end of a German street name (`Reichmannstr.`, `Paul-Gerhard-Seifert-Ring`), compared case-insensitively.
    func germanStreetEnd(_ v: [UInt32], _ w: Word) -> Int? {
        guard w.range.count > 4 else { return nil }
        let end = w.range.upperBound
        for suffix in Self.germanStreetSuffixes where w.range.count > suffix.count + 1 {
            let start = end - suffix.count
            guard zip(v[start..<end], suffix).allSatisfy({ Scalars.lowerASCII($0) == $1 }) else { continue }
            return suffix.count == 3 && suffix[0] == 115 ? (end < v.count && v[end] == 46 ? end + 1 : nil) : end  // `str.` with its dot
        }
        return nil
    }

    /// A building number just before `start`, separated by a space (or, with `commaToo`, a comma and a space): its start.
    @inline(__always) func numberBefore(_ v: [UInt32], _ start: Int, commaToo: Bool) -> Int? {
        var p = start
        var sawSeparator = false
        while p > 0 && (v[p - 1] == 32 || commaToo && v[p - 1] == 44) && start - p < 2 { p -= 1; sawSeparator = true }
        guard sawSeparator else { return nil }
        let end = p
        while p > 0 && Scalars.isDigit(v[p - 1]) { p -= 1 }
        guard end > p, end - p <= 5, p == 0 || !Scalars.gluesToWord(v[p - 1]) && v[p - 1] != 45 && v[p - 1] != 46 else { return nil }
        return p
    }

    /// A building number (`30`, `65-77`, `12a`, `3/4`) after one space at `from`: its end.
    func number(_ v: [UInt32], after from: Int) -> (Int, Int)? {
        guard from < v.count, v[from] == 32 else { return nil }
        var p = from + 1
        let start = p
        while p < v.count && Scalars.isDigit(v[p]) { p += 1 }
        guard p > start, p - start <= 5 else { return nil }
        if p + 1 < v.count, v[p] == 45 || v[p] == 47, Scalars.isDigit(v[p + 1]) {
            p += 1
            while p < v.count && Scalars.isDigit(v[p]) { p += 1 }
        }
        if p < v.count && Scalars.isASCIILetter(v[p]) && (p + 1 == v.count || !Scalars.isLetter(v[p + 1])) { p += 1 }
        guard p == v.count || !Scalars.gluesToWord(v[p]) else { return nil }
        return (p, start)
    }

    // MARK: the parts after a street line

    /// Extends an address over `, City`, `, ST 12345`, ` CV9 2BB`, `\n85398 Saint Frédéric`.
    func extend(_ v: [UInt32], from start: Int) -> Int {
        var end = start
        var parts = 0
        while parts < 4 {
            var p = end
            if p < v.count && v[p] == 44 { p += 1 }
            var gap = 0
            while p < v.count && (v[p] == 32 || v[p] == 10) && gap < 2 { p += 1; gap += 1 }
            guard p > end, p < v.count else { break }
            if let q = ukPostcode(v, at: p) ?? zipWithCity(v, at: p) ?? regionAndZip(v, at: p) ?? cityWords(v, at: p, requireComma: v[end] != 44 && v[end] != 10) {
                end = q
                parts += 1
            } else {
                break
            }
        }
        return end
    }

    func ukPostcode(_ v: [UInt32], at p: Int) -> Int? {
        var i = p
        var letters = 0
        while i < v.count && Scalars.isUpper(v[i]) && letters < 2 { i += 1; letters += 1 }
        guard letters >= 1, i < v.count, Scalars.isDigit(v[i]) else { return nil }
        i += 1
        if i < v.count && (Scalars.isDigit(v[i]) || Scalars.isUpper(v[i])) { i += 1 }
        guard i + 3 < v.count, v[i] == 32, Scalars.isDigit(v[i + 1]), Scalars.isUpper(v[i + 2]), Scalars.isUpper(v[i + 3]) else {
            return nil
        }
        let end = i + 4
        return end == v.count || !Scalars.gluesToWord(v[end]) ? end : nil
    }

    func zipWithCity(_ v: [UInt32], at p: Int) -> Int? {
        var i = p
        while i < v.count && Scalars.isDigit(v[i]) { i += 1 }
        guard i - p == 4 || i - p == 5, i < v.count, v[i] == 32 else { return nil }
        return cityWords(v, at: i + 1, requireComma: false)
    }

    func regionAndZip(_ v: [UInt32], at p: Int) -> Int? {
        var i = p
        while i < v.count && Scalars.isUpper(v[i]) { i += 1 }
        let code = ScalarText.string(v[p..<i])
        guard i - p >= 2, i - p <= 3, gazetteer.regionCodes.contains(code) else { return nil }
        guard i < v.count, v[i] == 32 else { return i }
        var j = i + 1
        while j < v.count && Scalars.isDigit(v[j]) { j += 1 }
        guard j - i - 1 == 5 else { return i }
        if j + 4 < v.count, v[j] == 45, v[(j + 1)...(j + 4)].allSatisfy(Scalars.isDigit) { j += 5 }
        return j == v.count || !Scalars.gluesToWord(v[j]) ? j : i
    }

    /// One to three capitalized words (a city), with inner spaces or hyphens.
    func cityWords(_ v: [UInt32], at p: Int, requireComma: Bool) -> Int? {
        guard !requireComma, p < v.count, Scalars.isUppercaseLetter(v[p]) else { return nil }
        var i = p
        var count = 0
        while count < 3 && i < v.count && Scalars.isUppercaseLetter(v[i]) {
            var j = i
            while j < v.count && (Scalars.isLetter(v[j]) && !Scalars.isCJK(v[j]) || Scalars.isWordChar(v[j]) && !Scalars.isDigit(v[j]) && !Scalars.isCJK(v[j]) || v[j] == 45 || v[j] == 39) { j += 1 }
            guard j > i + 1 else { break }
            count += 1
            i = j
            if i + 1 < v.count && v[i] == 32 && Scalars.isUppercaseLetter(v[i + 1]) && !(i + 2 < v.count && (Scalars.isUpper(v[i + 2]) || Scalars.isDigit(v[i + 2]))) {
                i += 1
            } else {
                break
            }
        }
        if i > p && v[i - 1] == 32 { i -= 1 }
        return count > 0 ? i : nil
    }

    // MARK: place names

    func place(_ v: [UInt32], _ words: [Word], _ k: Int) -> (Int, Double)? {
        // Longest gazetteer place of up to five adjacent words; one word alone needs context.
        let w = words[k]
        var best: (Int, Double)? = w.isA(.place) ? (w.range.upperBound, placeScore) : nil
        if w.isA(.placeFirstWord) {
            var text = w.text(v)
            var j = k
            while j + 1 < words.count, j < k + 4, NameWords.adjacent(words[j], words[j + 1], v) {
                j += 1
                text += " " + words[j].text(v)
                if gazetteer.places.contains(text) { best = (words[j].range.upperBound, multiWordPlaceScore) }
            }
        }
        if best != nil { return best }
        if w.isA(.cityPrefix), k + 1 < words.count, NameWords.adjacent(w, words[k + 1], v), words[k + 1].isCapitalized,
           words[k + 1].isA([.firstName, .lastName, .place]) || gazetteer.isComposedCity(v, words[k + 1]) {
            return (words[k + 1].range.upperBound, prefixedCityScore)
        }
        if !w.isA([.firstName, .lastName, .place]) && gazetteer.isComposedCity(v, w) {
            return (w.range.upperBound, composedCityScore)
        }
        return nil
    }

    func recognizeCJK(_ text: ScalarText, into spans: inout [EntitySpan]) {
        let v = text.values
        var i = 0
        while i < v.count {
            guard Scalars.isCJK(v[i]) else { i += 1; continue }
            var end = i
            while let next = longestPlace(v, at: end) { end = next }
            if end > i, end < v.count, let s = Unicode.Scalar(v[end]), gazetteer.cjkPlaceSuffixes.contains(String(s)) { end += 1 }
            if end > i {
                spans.append(EntitySpan(start: i, end: end, type: .location, score: multiWordPlaceScore, recognizer: name))
                i = end
            } else {
                i += 1
            }
        }
    }

    func longestPlace(_ v: [UInt32], at start: Int) -> Int? {
        var best: Int?
        var length = 2
        while length <= 8 && start + length <= v.count && Scalars.isCJK(v[start + length - 1]) {
            if gazetteer.places.contains(ScalarText.string(v[start..<(start + length)])) { best = start + length }
            length += 1
        }
        return best
    }
}
