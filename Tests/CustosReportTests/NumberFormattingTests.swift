import Testing
@testable import CustosReport

@Suite("Number formatting")
struct NumberFormattingTests {
    @Test("fixed decimals with a dot separator")
    func fixedDecimals() {
        #expect(NumberFormatting.format(0.8125, decimals: 2) == "0.81")
        #expect(NumberFormatting.format(2, decimals: 0) == "2")
        #expect(NumberFormatting.format(-1.5, decimals: 1) == "-1.5")
    }

    @Test("nil and NaN render as an em dash")
    func missingValues() {
        #expect(NumberFormatting.format(nil, decimals: 2) == "—")
        #expect(NumberFormatting.format(.nan, decimals: 2) == "—")
        #expect(NumberFormatting.percent(nil) == "—")
    }

    @Test("a value that rounds to zero has no minus sign")
    func noNegativeZero() {
        #expect(NumberFormatting.format(-0.0001, decimals: 2) == "0.00")
    }

    @Test("percentages and signed differences")
    func percentAndSigned() {
        #expect(NumberFormatting.percent(0.125, decimals: 1) == "12.5%")
        #expect(NumberFormatting.signed(0.05, decimals: 2) == "+0.05")
        #expect(NumberFormatting.signed(-0.05, decimals: 2) == "−0.05")
        #expect(NumberFormatting.signed(0, decimals: 2) == "0.00")
    }

    @Test("counts are grouped by thousands")
    func counts() {
        #expect(NumberFormatting.count(1_234_567) == "1\u{202F}234\u{202F}567")
        #expect(NumberFormatting.count(999) == "999")
    }
}
