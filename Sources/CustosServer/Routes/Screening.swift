import CustosCore
import CustosGuard
import CustosOpenAI
import Foundation

/// The outcome of screening several texts (the messages of a request, or the choices of an answer) with one
/// pipeline: the most severe action, which scanners fired, and each text's decision.
struct Screening: Sendable {
    var decisions: [Decision] = []
    var action: GuardAction = .allow
    var seconds = 0.0

    var fired: [String] {
        var seen = Set<String>()
        return decisions.flatMap(\.fired).filter { seen.insert($0).inserted }
    }

    mutating func add(_ decision: Decision) {
        decisions.append(decision)
        action = max(action, decision.action)
        seconds += decision.seconds
    }

    /// The compact form recorded in the audit log: action, fired scanners, each scanner's highest score, and
    /// the spans found (types and offsets, never the text).
    var record: JSONValue {
        var scores: [String: Double] = [:]
        for report in decisions.flatMap(\.scanners) { scores[report.scanner] = max(scores[report.scanner] ?? 0, report.score) }
        var errors: [String: JSONValue] = [:]
        for report in decisions.flatMap(\.scanners) where report.error != nil { errors[report.scanner] = .string(report.error ?? "") }
        let findings: [JSONValue] = decisions.enumerated().flatMap { k, decision in
            decision.scanners.filter(\.fired).flatMap { report in
                report.findings.map { f in
                    JSONValue.object([
                        "text": .number(Double(k)), "scanner": .string(report.scanner), "type": .string(f.type),
                        "start": .number(Double(f.start)), "end": .number(Double(f.end)),
                    ])
                }
            }
        }
        var object: [String: JSONValue] = [
            "action": .string(action.rawValue), "fired": .array(fired.map(JSONValue.string)),
            "scores": .object(scores.mapValues { .number(($0 * 1e6).rounded() / 1e6) }),
            "findings": .array(findings), "seconds": .number((seconds * 1e6).rounded() / 1e6),
        ]
        if !errors.isEmpty { object["errors"] = .object(errors) }
        return .object(object)
    }

    /// Why a block happened, for the caller (scanner names only: never the matched text).
    func reason(policy: String) -> String {
        let blocking = decisions.flatMap(\.scanners).filter { $0.fired && $0.action == .block }.map(\.scanner)
        let names = Array(Set(blocking)).sorted()
        return "blocked by the Custos policy '\(policy)': \(names.isEmpty ? "policy" : names.joined(separator: ", "))"
    }
}
