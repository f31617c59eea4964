/// The mitigations `custos fairness train` offers; raw values are the CLI and JSON names.
public enum MitigationMethod: String, Sendable, Codable, CaseIterable {
    /// Plain logistic regression.
    case none
    /// Kamiran–Calders reweighing, then weighted logistic regression.
    case reweighing
    /// Exponentiated gradient with demographic parity.
    case expgradDP = "expgrad-dp"
    /// Exponentiated gradient with equalized odds.
    case expgradEO = "expgrad-eo"
    /// Exponentiated gradient with true positive rate parity.
    case expgradTPR = "expgrad-tpr"
    /// Exponentiated gradient with error rate parity.
    case expgradERP = "expgrad-erp"
    /// Threshold optimizer with demographic parity.
    case thresholdDP = "threshold-dp"
    /// Threshold optimizer with equalized odds.
    case thresholdEO = "threshold-eo"

    /// The methods `custos fairness compare` runs, in table order.
    public static let compared: [MitigationMethod] = [.none, .reweighing, .expgradDP, .expgradEO, .thresholdDP, .thresholdEO]

    /// The exponentiated gradient constraint, for expgrad methods.
    public var parityConstraint: ParityConstraint.Kind? {
        switch self {
        case .expgradDP: return .demographicParity
        case .expgradEO: return .equalizedOdds
        case .expgradTPR: return .truePositiveRateParity
        case .expgradERP: return .errorRateParity
        default: return nil
        }
    }

    /// The threshold optimizer constraint, for threshold methods.
    public var thresholdConstraint: ThresholdOptimizer.Constraint? {
        switch self {
        case .thresholdDP: return .demographicParity
        case .thresholdEO: return .equalizedOdds
        default: return nil
        }
    }
}
