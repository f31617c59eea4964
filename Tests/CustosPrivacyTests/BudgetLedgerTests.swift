import CustosCore
import CustosPrivacy
import Foundation
import Testing

@Suite("DP budget ledger (SQLite)")
struct BudgetLedgerTests {
    func temporaryLedger() throws -> (BudgetLedger, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try BudgetLedger(path: dir.appendingPathComponent("ledger.sqlite").path), dir)
    }

    func cost(_ epsilon: String, _ delta: String = "0") throws -> PrivacyCost {
        try PrivacyCost(epsilon: Rational(parsing: epsilon), delta: Rational(parsing: delta))
    }

    @Test("a budget overrun is refused before any noise is drawn and leaves the ledger unchanged")
    func overrunRefused() throws {
        let (ledger, dir) = try temporaryLedger()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ledger.setBudget(try cost("1"), dataset: "adult", analyst: "ana")
        var draws = 0
        _ = try ledger.charge(try cost("0.75"), dataset: "adult", analyst: "ana", mechanism: "m", parameters: "{}") { draws += 1 }
        let before = try ledger.status(dataset: "adult", analyst: "ana")
        let historyBefore = try ledger.history()
        #expect(throws: CustosError.self) {
            try ledger.charge(try cost("0.5"), dataset: "adult", analyst: "ana", mechanism: "m", parameters: "{}") { draws += 1 }
        }
        #expect(draws == 1)  // the refused release never ran
        #expect(try ledger.status(dataset: "adult", analyst: "ana") == before)
        #expect(try ledger.history() == historyBefore)
        #expect(before.spent.epsilon == (try Rational(parsing: "3/4")))
        #expect(before.remaining.epsilon == (try Rational(parsing: "1/4")))
    }

    @Test("costs are exact: 0.1 + 0.2 + 0.7 fills a budget of 1, and one more 1e-12 is refused")
    func exactCosts() throws {
        let (ledger, dir) = try temporaryLedger()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ledger.setBudget(try cost("1"), dataset: "d", analyst: "a")
        for epsilon in ["0.1", "0.2", "0.7"] {
            _ = try ledger.charge(try cost(epsilon), dataset: "d", analyst: "a", mechanism: "m", parameters: "{}") { 0 }
        }
        #expect(try ledger.status(dataset: "d", analyst: "a").remaining.epsilon == .zero)
        #expect(throws: CustosError.self) {
            try ledger.charge(try cost("1e-12"), dataset: "d", analyst: "a", mechanism: "m", parameters: "{}") { 0 }
        }
    }

    @Test("δ is budgeted too; a failing release charges nothing; no budget is a usage error")
    func deltaAndFailures() throws {
        let (ledger, dir) = try temporaryLedger()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ledger.setBudget(try cost("10", "1e-6"), dataset: "d", analyst: "a")
        _ = try ledger.charge(try cost("1", "1e-6"), dataset: "d", analyst: "a", mechanism: "m", parameters: "{}") { 0 }
        #expect(throws: CustosError.self) {
            try ledger.charge(try cost("1", "1e-9"), dataset: "d", analyst: "a", mechanism: "m", parameters: "{}") { 0 }
        }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try ledger.charge(try cost("1"), dataset: "d", analyst: "a", mechanism: "m", parameters: "{}") { throw Boom() }
        }
        #expect(try ledger.status(dataset: "d", analyst: "a").releases == 1)
        let missing = #expect(throws: CustosError.self) { try ledger.status(dataset: "d", analyst: "other") }
        #expect(missing?.code == .usage)
    }

    @Test("budgets and history persist across reopening, with mechanism and parameters")
    func persistence() throws {
        let (ledger, dir) = try temporaryLedger()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ledger.setBudget(try cost("2"), dataset: "d", analyst: "a")
        _ = try ledger.charge(try cost("0.5"), dataset: "d", analyst: "a", mechanism: "discrete_laplace", parameters: #"{"query":"count"}"#) { 0 }
        let reopened = try BudgetLedger(path: ledger.path)
        let history = try reopened.history(dataset: "d")
        #expect(history.count == 1)
        #expect(history.first?.mechanism == "discrete_laplace")
        #expect(history.first?.parameters == #"{"query":"count"}"#)
        #expect(try reopened.status(dataset: "d", analyst: "a").spent.epsilon == (try Rational(parsing: "1/2")))
        // Raising the budget keeps what was spent.
        let raised = try reopened.setBudget(try cost("3"), dataset: "d", analyst: "a")
        let half = try Rational(parsing: "1/2")
        let three = try Rational(3)
        #expect(raised.spent.epsilon == half)
        #expect(raised.limit.epsilon == three)
    }
}
