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
        #expect(abs(try #require(release.value) - 500) <= 40)
        #expect(release.guarantee == .pureDP(epsilon: 1))
        #expect(release.mechanism == "discrete_laplace")
    }

    @Test("sum and mean clamp to the bounds, snap to the grid and add calibrated noise")
    func sumAndMean() throws {
        let data = try table("x\n1\n2\n100\n-5\n\n")
        let bounds = try ClampBounds(lower: 0, upper: 10)
        // Clamped: 1 + 2 + 10 + 0 = 13. ε = 1000 with grid 1e-3: noise scale 10^4/1000 = 10 steps = 0.01.
        let sum = try DPQuery(.sum, column: "x", epsilon: Rational(parsing: "1000"), bounds: bounds).prepare(data).release()
        #expect(abs(try #require(sum.value) - 13) < 0.5)
        #expect(sum.granularity == 0.001)
        #expect(sum.bounds == bounds)
        let mean = try DPQuery(.mean, column: "x", epsilon: Rational(parsing: "1000"), bounds: bounds).prepare(data).release()
        #expect(abs(try #require(mean.value) - 13.0 / 4) < 0.1)
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
        #expect(abs(try #require(try query.prepare(data).release().value) - -7) < 0.01)
        #expect(query.parametersJSON == #"{"query":"sum","column":"x","epsilon":"1000000","bounds":[-10.0,-1.0],"granularity":"1/1000"}"#)
    }

    @Test("a histogram counts only the declared categories, each with Lap_ℤ(1/ε)")
    func histogram() throws {
        let data = try table("color\nred\nblue\nred\ngreen\nred\n")
        let query = try DPQuery(.histogram, column: "color", epsilon: Rational(parsing: "1000"), categories: ["red", "blue", "violet"])
        let release = try query.prepare(data).release()
        #expect(release.value == nil)
        #expect(release.values.map(\.category) == ["red", "blue", "violet"])
        // ε = 1000: P(Lap_ℤ(0.001) ≠ 0) = 2e^(−1000)/(1 + e^(−1000)), so the counts are exact here.
        #expect(release.values.map(\.value) == [3, 1, 0])
        #expect(throws: CustosError.self) { try DPQuery(.histogram, column: "color", epsilon: .one) }
    }

    @Test("a quantile by the exponential mechanism lands near the true quantile on the grid")
    func quantile() throws {
        let data = try table("x\n" + (1...999).map { "\($0)" }.joined(separator: "\n") + "\n")
        let query = try DPQuery(.quantile, column: "x", epsilon: Rational(parsing: "1"), bounds: ClampBounds(lower: 0, upper: 1000),
                                granularity: Granularity(Rational(parsing: "1")), quantile: Rational(parsing: "0.25"))
        let release = try query.prepare(data).release()
        #expect(release.mechanism == "exponential_mechanism")
        // Utility falls by 4 per grid step away from the quartile (b = 4), so with ε = 1 (weights e^(−u/2 · 1/3))
        // the chance of landing 30 steps away is below 1e-8.
        #expect(abs(try #require(release.value) - 250) <= 30)
        #expect(throws: CustosError.self) {
            try DPQuery(.quantile, column: "x", epsilon: .one, bounds: ClampBounds(lower: 0, upper: 1e9), granularity: Granularity(.one), quantile: .one)
        }
        #expect(throws: CustosError.self) { try DPQuery(.quantile, column: "x", epsilon: .one, bounds: ClampBounds(lower: 0, upper: 1)) }
    }

    @Test("declared groups are released in order, undeclared ones ignored; grouping needs declared groups")
    func grouped() throws {
        let data = try table("g,x\na,1\nb,5\na,3\nc,100\nb,7\n")
        let groups = try DeclaredGroups(column: "g", groups: ["b", "a", "z"])
        let query = try DPQuery(.sum, column: "x", epsilon: Rational(parsing: "1e6"), bounds: ClampBounds(lower: 0, upper: 10), groups: groups)
        let release = try query.prepare(data).release()
        #expect(release.values.map(\.group) == ["b", "a", "z"])
        let sums = release.values.map(\.value)
        #expect(abs(sums[0] - 12) < 0.01 && abs(sums[1] - 4) < 0.01 && abs(sums[2]) < 0.01)
        #expect(release.by == "g" && release.value == nil)
        #expect(throws: CustosError.self) { try DeclaredGroups(column: "g", groups: []) }
    }

    @Test("per-user bounding keeps each user's first L rows and scales the sensitivity by L")
    func contributionBound() throws {
        let data = try table("user,x\nu1,1\nu1,1\nu1,1\nu2,1\n,1\n")
        let bound = try ContributionBound(userColumn: "user", maxRows: 2)
        let count = try DPQuery(.count, column: "x", epsilon: Rational(parsing: "1e6"), contributionBound: bound)
        // u1 keeps 2 rows, u2 keeps 1, the row without a user is dropped.
        #expect(try count.prepare(data).release().value == 3)
        let sum = try DPQuery(.sum, column: "x", epsilon: .one, bounds: ClampBounds(lower: 0, upper: 10), contributionBound: bound)
        #expect(sum.parametersJSON.contains(#""user_id":"user","max_rows_per_user":2"#))
        #expect(throws: CustosError.self) { try ContributionBound(userColumn: "user", maxRows: 0) }
    }

    @Test("with δ > 0 the noise is the discrete Gaussian at the largest ρ whose CKS conversion is within (ε, δ)")
    func gaussianNoise() throws {
        let data = try table("x\n" + (0..<200).map { "\($0 % 10)" }.joined(separator: "\n") + "\n")
        let query = try DPQuery(.sum, column: "x", epsilon: Rational(parsing: "4.728386984943314"), delta: Rational(parsing: "1e-5"),
                                bounds: ClampBounds(lower: 0, upper: 10), granularity: Granularity(.one))
        // The vectors' zcdp_to_dp row: ρ = 0.5 converts to ε = 4.728386984943314 at δ = 1e-5.
        let rho = try #require(query.rho).doubleValue
        #expect(abs(rho - 0.5) < 1e-9)
        #expect(try ZeroConcentratedDP.epsilon(rho: rho, delta: 1e-5) <= 4.728386984943314)
        #expect(query.mechanism == "discrete_gaussian")
        #expect(query.cost.delta == (try Rational(parsing: "1e-5")))
        let release = try query.prepare(data).release()
        #expect(release.guarantee == .zeroConcentratedDP(rho: rho))
        #expect(release.delta == 1e-5)
        // Sum 900, Δ = 10, σ = Δ/√(2ρ) = 10: within ±80 with probability 1 − 1e-15.
        #expect(abs(try #require(release.value) - 900) < 80)
        #expect(throws: CustosError.self) {
            try DPQuery(.quantile, column: "x", epsilon: .one, delta: Rational(parsing: "1e-6"), bounds: ClampBounds(lower: 0, upper: 1), quantile: .one)
        }
    }
}
