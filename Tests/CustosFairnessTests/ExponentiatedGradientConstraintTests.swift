import CustosCore
import CustosFairness
import CustosML
import Testing

/// Every constraint of the exponentiated gradient holds on its training data: each group's rate is within eps of the
/// overall rate (up to the duality gap), where the unmitigated model is far outside. Runs on every third Adult
/// training row to stay fast; needs the `adult` asset.
@Suite("Exponentiated gradient satisfies its constraints")
struct ExponentiatedGradientConstraintTests {
    /// Slack over eps allowed for the duality gap of the chosen iterate (B = 1/eps = 100 keeps it near 1e-3).
    static let gapSlack = 0.005

    /// Largest |group rate − overall rate| of each event the constraint conditions on.
    static func largestDeviation(_ kind: ParityConstraint.Kind, labels: [Bool], p: [Double], groups: [String]) -> Double {
        // (event filter, value per row): the utility whose mean must match across groups.
        let events: [((Int) -> Bool, (Int) -> Double)]
        switch kind {
        case .demographicParity: events = [({ _ in true }, { p[$0] })]
        case .truePositiveRateParity: events = [({ labels[$0] }, { p[$0] })]
        case .equalizedOdds: events = [({ labels[$0] }, { p[$0] }), ({ !labels[$0] }, { p[$0] })]
        case .errorRateParity: events = [({ _ in true }, { labels[$0] ? 1 - p[$0] : p[$0] })]
        }
        var worst = 0.0
        for (inEvent, value) in events {
            let rows = labels.indices.filter(inEvent)
            let overall = rows.map(value).reduce(0, +) / Double(rows.count)
            for group in Set(groups) {
                let members = rows.filter { groups[$0] == group }
                worst = max(worst, abs(members.map(value).reduce(0, +) / Double(members.count) - overall))
            }
        }
        return worst
    }

    @Test("each group within eps of the overall rate on the training data",
          arguments: [ParityConstraint.Kind.demographicParity, .equalizedOdds, .truePositiveRateParity, .errorRateParity])
    func constraintHolds(_ kind: ParityConstraint.Kind) throws {
        let adult = try AdultMitigationSetup.shared.get()
        let rows = Array(stride(from: 0, to: adult.xTrain.rows, by: 3))
        let x = adult.xTrain.selectingRows(rows)
        let labels = rows.map { adult.yTrain[$0] }
        let groups = rows.map { adult.sexTrain[$0] }
        let base = try LogisticRegression().fit(x, labels: labels).predict(x).map { $0 ? 1.0 : 0 }
        #expect(Self.largestDeviation(kind, labels: labels, p: base, groups: groups) > 0.03)
        let reduction = ExponentiatedGradient(constraint: kind)
        let result = try reduction.fit(x, labels: labels, groups: groups)
        let p = try result.positiveProbabilities(x)
        let deviation = Self.largestDeviation(kind, labels: labels, p: p, groups: groups)
        #expect(deviation <= reduction.eps + Self.gapSlack, "\(kind): largest deviation \(deviation)")
    }
}
