/// The gazetteer lists a word belongs to, one bit per list.
struct WordKinds: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    static let firstName = WordKinds(rawValue: 1 << 0)
    static let lastName = WordKinds(rawValue: 1 << 1)
    static let place = WordKinds(rawValue: 1 << 2)
    static let cityPrefix = WordKinds(rawValue: 1 << 3)
    static let citySuffix = WordKinds(rawValue: 1 << 4)
    static let streetSuffix = WordKinds(rawValue: 1 << 5)
    static let streetPrefix = WordKinds(rawValue: 1 << 6)
    static let placeFirstWord = WordKinds(rawValue: 1 << 7)
    /// A name particle (`da`, `van`, `Del`): `NameWords.particles`.
    static let particle = WordKinds(rawValue: 1 << 8)
    /// A secondary-unit word (`Apt`, `Suite`): `NameWords.secondaryUnits`.
    static let secondaryUnit = WordKinds(rawValue: 1 << 9)
    /// A French street-name connector (`de`, `la`): `NameWords.connectors`.
    static let connector = WordKinds(rawValue: 1 << 10)

    /// A given or family name.
    static let name: WordKinds = [.firstName, .lastName]
}

/// Every entry of a gazetteer's word lists in one open-addressing hash table keyed by the entry's Unicode
/// scalars, so the recognizers look a word of a text up **once**, straight from the text's scalar values: no
/// `String` is made and no SipHash is run per word (`NameWords.words` hashes while it splits).
///
/// The hash is FNV-1a over scalar values with a final avalanche; collisions are resolved by linear probing and
/// a full comparison of the scalars, so a lookup is exact.
final class Lexicon: Sendable {
    private struct Slot {
        var hash: UInt64 = 0
        var start: UInt32 = 0
        var length: UInt32 = 0
        var kinds = WordKinds()
    }

    private let slots: [Slot]
    private let keys: [UInt32]
    private let mask: Int

    /// The table for `entries`; an entry listed more than once gets the union of its kinds.
    init(_ entries: [(String, WordKinds)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        var keys: [UInt32] = []
        let mask = capacity - 1
        var scalars: [UInt32] = []
        for (text, kinds) in entries where !text.isEmpty {
            scalars.removeAll(keepingCapacity: true)
            var h = Self.seed
            for scalar in text.unicodeScalars {
                scalars.append(scalar.value)
                h = Self.step(h, scalar.value)
            }
            let hash = Self.finish(h)
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index].length != 0 {
                let slot = slots[index]
                if slot.hash == hash, keys[Int(slot.start)..<Int(slot.start + slot.length)].elementsEqual(scalars) { break }
                index = (index + 1) & mask
            }
            if slots[index].length == 0 {
                slots[index] = Slot(hash: hash, start: UInt32(keys.count), length: UInt32(scalars.count), kinds: kinds)
                keys += scalars
            } else {
                slots[index].kinds.formUnion(kinds)
            }
        }
        self.slots = slots
        self.keys = keys
        self.mask = mask
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func step(_ h: UInt64, _ value: UInt32) -> UInt64 { (h ^ UInt64(value)) &* 0x0000_0100_0000_01B3 }
    @inline(__always) static func finish(_ h: UInt64) -> UInt64 {
        var x = h
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        return x
    }

    /// The kinds of the scalars `v[range]`, whose hash (`seed`, `step` per scalar, `finish`) is `hash`.
    func kinds(_ v: [UInt32], _ range: Range<Int>, hash: UInt64) -> WordKinds {
        let length = UInt32(range.count)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.length == 0 { return [] }
            if slot.hash == hash, slot.length == length {
                var equal = true
                var k = Int(slot.start)
                for p in range {
                    if keys[k] != v[p] { equal = false; break }
                    k += 1
                }
                if equal { return slot.kinds }
            }
            index = (index + 1) & mask
        }
    }

    /// The kinds of `v[range]`, hashed here.
    func kinds(_ v: [UInt32], _ range: Range<Int>) -> WordKinds {
        var h = Self.seed
        for p in range { h = Self.step(h, v[p]) }
        return kinds(v, range, hash: Self.finish(h))
    }
}
