import CustosCore
import CustosPrivacy
import Foundation
import Testing

@Suite("DP queries: count, sum and mean on tables")
struct DPQueryTests {
    func table(_ csv: String) throws -> Table {
        try CSVReader.table(Array(csv.utf8), source: "test.csv")
    }

    @Test("count releases the number of present values plus discrete Laplace noise of scale 1/ε")
    func count() throws {
        let data = try table("x\n" + (0..<500).map { "\($0 % 7)" }.joined(separator: "\n") + "\n\n")
        let query = try DPQuery(.count, column: "x", epsilon: Rational(parsing: "1"))
        let release = try query.prepare(data).release()
        // P(|Lap_ℤ(1)| > 40) < 1e-17.
        #expect(abs(release.value - 500) <= 40)
        #expect(release.guarantee == .pureDP(epsilon: 1))
        #expect(release.mechanism == "discrete_laplace")
    }

    @Test("sum and mean clamp to the bounds, snap to the grid and add calibrated noise")
    func sumAndMean() throws {
        let data = try table("x\n1\n2\n100\n-5\n\n")
        let bounds = try ClampBounds(lower: 0, upper: 10)
        // Clamped: 1 + 2 + 10 + 0 = 13. ε = 1000 with grid 1e-3: noise scale 10^4/1000 = 10 steps = 0.01.
        let sum = try DPQuery(.sum, column: "x", epsilon: Rational(parsing: "1000"), bounds: bounds).prepare(data).release()
        #expect(abs(sum.value - 13) < 0.5)
        #expect(sum.granularity == 0.001)
        #expect(sum.bounds == bounds)
        let mean = try DPQuery(.mean, column: "x", epsilon: Rational(parsing: "1000"), bounds: bounds).prepare(data).release()
        #expect(abs(mean.value - 13.0 / 4) < 0.1)
    }

    @Test("a non-numeric value is an input error naming its line; reversed bounds and missing bounds are refused")
    func badInput() throws {
        let data = try table("x\n1\nabc\n3\n")
        let error = #expect(throws: CustosError.self) {
            try DPQuery(.sum, column: "x", epsilon: .one, bounds: ClampBounds(lower: 0, upper: 5)).prepare(data)
        }
        #expect(error?.location?.file == "test.csv")
        #expect(error?.location?.line == 3)
        #expect(throws: CustosError.self) { try ClampBounds(lower: 5, upper: 0) }
        #expect(throws: CustosError.self) { try ClampBounds(parsing: "1") }
        #expect(throws: CustosError.self) { try DPQuery(.mean, column: "x", epsilon: .one) }
        #expect(throws: CustosError.self) { try DPQuery(.count, column: "x", epsilon: .zero) }
        #expect(throws: CustosError.self) { try DPQuery(.count, column: "nope", epsilon: .one).prepare(data) }
    }

    @Test("the sum's sensitivity is the largest snapped bound, so negative ranges are covered")
    func negativeBounds() throws {
        let data = try table("x\n-3\n-4\n")
        let query = try DPQuery(.sum, column: "x", epsilon: Rational(parsing: "1e6"), bounds: ClampBounds(lower: -10, upper: -1))
        #expect(abs(try query.prepare(data).release().value - -7) < 0.01)
        #expect(query.parametersJSON == #"{"query":"sum","column":"x","epsilon":"1000000","bounds":[-10.0,-1.0],"granularity":"1/1000"}"#)
    }
}
