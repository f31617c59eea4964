import BigInt
import CustosCore
import Foundation

/// An exact non-negative rational number `numerator / denominator` in lowest terms.
///
/// The DP samplers take their parameters (scales, variances, exponents) as these values so that no
/// floating-point rounding enters a sampling decision (Mironov 2012). A `Double` converts exactly
/// (every finite double is a dyadic rational); a decimal string such as `"0.1"` converts to `1/10`.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The numerator (reduced).
    public let numerator: BigUInt
    /// The denominator (reduced, never zero).
    public let denominator: BigUInt

    /// `numerator / denominator`; the denominator must not be zero.
    public init(_ numerator: BigUInt, _ denominator: BigUInt = 1) throws {
        guard !denominator.isZero else { throw CustosError(.invalidInput, "a rational number cannot have denominator 0") }
        if numerator.isZero {
            self.numerator = 0
            self.denominator = 1
            return
        }
        let divisor = numerator.greatestCommonDivisor(with: denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    /// The integer `value` (must be non-negative).
    public init(_ value: Int) throws {
        guard value >= 0 else { throw CustosError(.invalidInput, "expected a non-negative number, got \(value)") }
        try self.init(BigUInt(value), 1)
    }

    /// The exact value of a finite, non-negative double (its binary expansion, not its decimal spelling).
    public init(exactly value: Double) throws {
        guard value.isFinite, value >= 0 else {
            throw CustosError(.invalidInput, "expected a finite non-negative number, got \(value)")
        }
        if value == 0 {
            try self.init(0, 1)
            return
        }
        // value = significand · 2^(exponent − 52) with an integer significand.
        let significand = BigUInt(value.significandBitPattern) + (value.isNormal ? BigUInt(1) << 52 : 0)
        let exponent = Int(value.exponent) - 52
        let normalExponent = value.isNormal ? exponent : -1074
        if normalExponent >= 0 {
            try self.init(significand << normalExponent, 1)
        } else {
            try self.init(significand, BigUInt(1) << (-normalExponent))
        }
    }

    /// Parses `"12"`, `"2.5"`, `"1e-3"`, `"2.5E+2"` or `"3/4"` exactly; negative values are refused.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let invalid = CustosError(.invalidInput, "'\(text)' is not a non-negative decimal or fraction (e.g. 2.5, 1e-3, 3/4)")
        if let slash = trimmed.firstIndex(of: "/") {
            guard let n = BigUInt(String(trimmed[..<slash]), radix: 10),
                  let d = BigUInt(String(trimmed[trimmed.index(after: slash)...]), radix: 10),
                  !trimmed[..<slash].isEmpty, !d.isZero
            else { throw invalid }
            try self.init(n, d)
            return
        }
        var mantissa = Substring(trimmed)
        var exponent = 0
        if let e = trimmed.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = trimmed[..<e]
            var exponentText = trimmed[trimmed.index(after: e)...]
            if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
            guard let value = Int(exponentText), abs(value) <= 4_000 else { throw invalid }
            exponent = value
        }
        if mantissa.first == "+" { mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = BigUInt(digits, radix: 10)
        else { throw invalid }
        let scale = exponent - fraction.count
        let ten = BigUInt(10)
        if scale >= 0 {
            try self.init(value * ten.power(scale), 1)
        } else {
            try self.init(value, ten.power(-scale))
        }
    }

    /// Zero.
    public static let zero = Rational(unchecked: 0, 1)
    /// One.
    public static let one = Rational(unchecked: 1, 1)

    /// For values known to be reduced with a non-zero denominator.
    init(unchecked numerator: BigUInt, _ denominator: BigUInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Whether the value is zero.
    public var isZero: Bool { numerator.isZero }

    /// The nearest double (for reporting only; sampling never uses it).
    public var doubleValue: Double {
        // Scale both to at most ~1000 bits so the conversion neither overflows nor loses the ratio.
        let shift = max(0, max(numerator.bitWidth, denominator.bitWidth) - 1000)
        return Double(numerator >> shift) / Double(denominator >> shift)
    }

    /// `⌊self⌋`.
    public var floor: BigUInt { numerator / denominator }

    /// `⌈self⌉`.
    public var ceiling: BigUInt {
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return r.isZero ? q : q + 1
    }

    /// `p/q` as text.
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// Exact order.
    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }

    /// Exact sum.
    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        reduced(lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }

    /// Exact product.
    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        reduced(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    /// Exact quotient; `rhs` must not be zero.
    public static func / (lhs: Rational, rhs: Rational) throws -> Rational {
        try Rational(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    /// Decodes the `"p/q"` (or integer) text form.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    /// Encodes as `"p/q"` text, exact at any size.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Exact difference, or nil when it would be negative.
    public func subtracting(_ other: Rational) -> Rational? {
        let left = numerator * other.denominator
        let right = other.numerator * denominator
        guard left >= right else { return nil }
        return Self.reduced(left - right, denominator * other.denominator)
    }

    private static func reduced(_ n: BigUInt, _ d: BigUInt) -> Rational {
        if n.isZero { return .zero }
        let g = n.greatestCommonDivisor(with: d)
        return Rational(unchecked: n / g, d / g)
    }
}
