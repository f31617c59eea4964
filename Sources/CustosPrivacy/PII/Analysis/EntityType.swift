/// The kind of personal data a span holds, named as Presidio names it (`EMAIL_ADDRESS`, `PERSON`, …).
///
/// Custom recognizers may introduce their own names; the built-in ones are listed as static members.
public struct EntityType: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The upper-case name, e.g. `CREDIT_CARD`.
    public let rawValue: String

    /// Wraps a name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (a: EntityType, b: EntityType) -> Bool { a.rawValue < b.rawValue }

    public static let emailAddress = EntityType("EMAIL_ADDRESS")
    public static let phoneNumber = EntityType("PHONE_NUMBER")
    public static let creditCard = EntityType("CREDIT_CARD")
    public static let ibanCode = EntityType("IBAN_CODE")
    public static let usSSN = EntityType("US_SSN")
    public static let ipAddress = EntityType("IP_ADDRESS")
    public static let macAddress = EntityType("MAC_ADDRESS")
    public static let url = EntityType("URL")
    public static let dateTime = EntityType("DATE_TIME")
    public static let crypto = EntityType("CRYPTO")
    public static let person = EntityType("PERSON")
    public static let location = EntityType("LOCATION")

    /// Every built-in type, pattern types first.
    public static let builtIn: [EntityType] = [
        .emailAddress, .phoneNumber, .creditCard, .ibanCode, .usSSN, .ipAddress, .macAddress, .url, .dateTime,
        .crypto, .person, .location,
    ]

    /// The types found by patterns plus validation (everything except PERSON and LOCATION).
    public static let patternTypes: Set<EntityType> = Set(builtIn).subtracting([.person, .location])
}
