import BigInt
import CustosCore
import CustosPrivacy
import Testing

@Suite("Rational: exact parameters")
struct RationalTests {
    @Test("decimal strings and fractions parse exactly")
    func parsing() throws {
        #expect(try Rational(parsing: "0.1") == Rational(1, 10))
        #expect(try Rational(parsing: "2.50") == Rational(5, 2))
        #expect(try Rational(parsing: "1e-3") == Rational(1, 1000))
        #expect(try Rational(parsing: "2.5E+2") == Rational(250))
        #expect(try Rational(parsing: "6/4") == Rational(3, 2))
        #expect(try Rational(parsing: "7").floor == 7)
    }

    @Test("negative, empty and malformed values are input errors")
    func badInput() {
        for text in ["-1", "", "abc", "1/0", "1.2.3", "e5", "/3"] {
            #expect(throws: CustosError.self, "\(text)") { try Rational(parsing: text) }
        }
    }

    @Test("doubles convert to their exact binary value")
    func doubles() throws {
        #expect(try Rational(exactly: 0.5) == Rational(1, 2))
        #expect(try Rational(exactly: 3.0) == Rational(3))
        let tenth = try Rational(exactly: 0.1)
        #expect(tenth.denominator == BigUInt(1) << 55)
        #expect(tenth.doubleValue == 0.1)
        #expect(try Rational(exactly: Double.leastNonzeroMagnitude).denominator == BigUInt(1) << 1074)
    }
}
