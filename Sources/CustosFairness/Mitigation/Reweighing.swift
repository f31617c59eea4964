import CustosCore

/// Kamiran & Calders (2012) reweighing: each (group, label) cell gets the weight `P(group)·P(label) / P(group, label)`,
/// so that label and group are independent under the weighted data (equal to aif360's `Reweighing`).
public enum Reweighing {
    /// One cell of the weighting.
    public struct Cell: Sendable, Equatable, Codable {
        /// Sensitive group.
        public var group: String
        /// Label.
        public var label: Bool
        /// Rows in the cell.
        public var count: Int
        /// The weight of every row in the cell.
        public var weight: Double
    }

    /// The weight of every row and the weighting per cell (sorted by group, then label).
    ///
    /// - Throws: when lengths disagree or there are no rows.
    public static func weights(labels: [Bool], groups: [String]) throws -> (weights: [Double], cells: [Cell]) {
        guard labels.count == groups.count else {
            throw CustosError(.invalidInput, "\(labels.count) labels for \(groups.count) sensitive values")
        }
        guard !labels.isEmpty else { throw CustosError(.invalidInput, "reweighing needs at least one row") }
        struct Key: Hashable { var group: String; var label: Bool }
        var cellCount: [Key: Int] = [:]
        var groupCount: [String: Int] = [:]
        var positives = 0
        for (label, group) in zip(labels, groups) {
            cellCount[Key(group: group, label: label), default: 0] += 1
            groupCount[group, default: 0] += 1
            if label { positives += 1 }
        }
        let n = Double(labels.count)
        func weight(_ key: Key) -> Double {
            let labelCount = Double(key.label ? positives : labels.count - positives)
            return Double(groupCount[key.group] ?? 0) * labelCount / (n * Double(cellCount[key] ?? 1))
        }
        let weights = zip(labels, groups).map { weight(Key(group: $1, label: $0)) }
        let cells = cellCount.keys.sorted { ($0.group, $0.label ? 1 : 0) < ($1.group, $1.label ? 1 : 0) }
            .map { Cell(group: $0.group, label: $0.label, count: cellCount[$0] ?? 0, weight: weight($0)) }
        return (weights, cells)
    }
}
