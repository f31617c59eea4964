/// CREDIT_CARD: 12–19 digits, contiguous or grouped by single spaces or dashes (one kind per number), that pass
/// the Luhn check and start with an issuer's prefix of the right length (Visa, Mastercard incl. the 2-series,
/// American Express, Discover, Diners Club, JCB (35), UnionPay, Maestro). Luhn-failing look-alikes and numbers
/// glued to other digits are rejected; a number after `+` is a phone number, not a card.
public struct CreditCardRecognizer: Recognizer {
    public let name = "credit_card"
    public let entities: [EntityType] = [.creditCard]
    public let contextWords = [
        "credit", "card", "visa", "mastercard", "amex", "discover", "jcb", "diners", "maestro", "unionpay", "cc",
        "pan", "debit", "payment",
    ]
    /// Score of a Luhn-valid number with a known issuer prefix.
    public var score = 1.0

    public init() {}

    public func recognize(_ text: ScalarText, into spans: inout [EntitySpan]) {
        guard text.hasDigit else { return }  // digits only
        let v = text.values
        var i = 0
        while i < v.count {
            guard Scalars.isDigit(v[i]), DigitGroups.boundaryBefore(v, i), !(i > 0 && v[i - 1] == 43) else {
                i += 1
                continue
            }
            let run = DigitGroups.read(v, from: i, separators: [32, 45])
            var found: Range<Int>?
            if DigitGroups.boundaryAfter(v, run.groups[run.groups.count - 1].upperBound) || run.groups.count > 1 {
                // Longest window of whole groups starting at the first one that is a valid card.
                for b in stride(from: run.groups.count - 1, through: 0, by: -1) {
                    let n = run.digitCount(0, b)
                    guard (12...19).contains(n), run.uniformSeparators(0, b),
                          DigitGroups.boundaryAfter(v, run.groups[b].upperBound) else { continue }
                    let digits = run.digits(v, 0, b)
                    if Self.hasIssuerPrefix(digits), Checksums.luhn(digits) {
                        found = run.groups[0].lowerBound..<run.groups[b].upperBound
                        break
                    }
                }
            }
            if let found {
                spans.append(EntitySpan(start: found.lowerBound, end: found.upperBound, type: .creditCard, score: score, recognizer: name))
                i = found.upperBound
            } else {
                // A run that is not a card as a whole is not searched for a card inside it: a Luhn-failing
                // number's last 12 digits often pass by chance.
                i = run.groups[run.groups.count - 1].upperBound
            }
        }
    }

    /// Whether the digits start with a known issuer identification number for their length.
    static func hasIssuerPrefix(_ d: [UInt8]) -> Bool {
        func prefix(_ k: Int) -> Int { d.prefix(k).reduce(0) { $0 * 10 + Int($1) } }
        let n = d.count
        switch d[0] {
        case 4: return n == 13 || n == 16 || n == 19  // Visa
        case 5:
            let p2 = prefix(2)
            if (51...55).contains(p2) { return n == 16 }  // Mastercard
            return p2 == 50 || (56...59).contains(p2) ? (12...19).contains(n) : false  // Maestro
        case 2:
            let p4 = prefix(4)
            return (2221...2720).contains(p4) && n == 16  // Mastercard 2-series
        case 3:
            let p2 = prefix(2)
            if p2 == 34 || p2 == 37 { return n == 15 }  // American Express
            if (300...305).contains(prefix(3)) || p2 == 36 || p2 == 38 || p2 == 39 || prefix(4) == 3095 {
                return (14...19).contains(n)  // Diners Club
            }
            // JCB: 3528–3589 are issued; card generators (Faker among them) use the whole 35 range, and Luhn
            // still applies, so 35 is accepted.
            if p2 == 35 { return (16...19).contains(n) }
            return false
        case 6:
            let p2 = prefix(2)
            if prefix(4) == 6011 || (644...649).contains(prefix(3)) || p2 == 65 { return (16...19).contains(n) }  // Discover
            if p2 == 62 { return (16...19).contains(n) }  // UnionPay
            return (60...69).contains(p2) && (12...19).contains(n)  // Maestro
        default:
            return false
        }
    }
}
