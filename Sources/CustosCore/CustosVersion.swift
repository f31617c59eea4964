/// The version of Custos.
public enum CustosVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
