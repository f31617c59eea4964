import BigInt
import CustosCore

/// A mechanism that releases an integer-valued query answer with noise and states what privacy that gives
/// for a query whose answers on neighbouring inputs differ by at most its sensitivity.
public protocol NoiseMechanism: Sendable {
    /// The guarantee of one release.
    var guarantee: PrivacyGuarantee { get }
    /// The largest change of the query between neighbouring inputs that the guarantee covers.
    var sensitivity: BigUInt { get }
    /// `value` plus noise, drawn with `generator` (a cryptographically secure one for a private release).
    func release<G: RandomNumberGenerator>(_ value: BigInt, using generator: inout G) -> BigInt
}

extension NoiseMechanism {
    /// `value` plus noise from the operating system's cryptographically secure source.
    public func release(_ value: BigInt) -> BigInt {
        var generator = SystemRandomNumberGenerator()
        return release(value, using: &generator)
    }
}

/// The checks every ε-parameterised mechanism makes: ε > 0 and an integer sensitivity of at least 1.
func validateMechanism(epsilon: Rational, sensitivity: BigUInt) throws {
    guard !epsilon.isZero else { throw CustosError(.invalidInput, "epsilon must be positive") }
    guard !sensitivity.isZero else { throw CustosError(.invalidInput, "sensitivity must be at least 1") }
}
