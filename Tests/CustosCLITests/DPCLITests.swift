import Foundation
import Testing

@Suite("custos dp (the executable)")
struct DPCLITests {
    @Test("dp accountant --format json prints exactly {epsilon, order}, equal to the exact-fractional vector")
    func accountantJSON() throws {
        let result = try CLIProcess.run(["dp", "accountant", "--q", "0.05", "--sigma", "0.5", "--steps", "1000", "--delta", "1e-5", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Double])
        #expect(Set(object.keys) == ["epsilon", "order"])
        // dev vectors: epsilon_exact_fractional_rdp 64.87912080973045 at order 1.4 (dp_accounting: 73.737 at 1.6).
        let epsilon = try #require(object["epsilon"])
        #expect(abs(epsilon - 64.87912080973045) / 64.87912080973045 < 1e-6)
        #expect(object["order"] == 1.4)
    }

    @Test("dp accountant refuses q outside (0, 1], sigma ≤ 0, steps < 1 and delta outside (0, 1) with exit 2")
    func accountantBadInput() throws {
        let base = ["q": "0.01", "sigma": "1", "steps": "10", "delta": "1e-5"]
        let bad: [(String, String, String)] = [
            ("q", "0", "--q"), ("q", "1.5", "--q"), ("sigma", "-1", "--sigma"), ("sigma", "0", "--sigma"),
            ("steps", "0", "--steps"), ("delta", "1", "--delta"), ("delta", "0", "--delta"), ("q", "abc", "q"),
        ]
        for (key, value, mention) in bad {
            var arguments = ["dp", "accountant"]
            for name in ["q", "sigma", "steps", "delta"] { arguments += ["--\(name)", name == key ? value : base[name] ?? ""] }
            let result = try CLIProcess.run(arguments)
            #expect(result.status == 2, "--\(key) \(value)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(mention), "\(result.stderr)")
        }
    }

    @Test("dp sample prints N integers, one per line, for both samplers")
    func sample() throws {
        for mechanism in ["discrete-laplace", "discrete-gaussian"] {
            let result = try CLIProcess.run(["dp", "sample", "--mechanism", mechanism, "--scale", "7/3", "--count", "2000"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2001 && lines.last == "")
            let values = lines.dropLast().compactMap { Int($0) }
            #expect(values.count == 2000)
            // Both have mean 0 and sd ≈ 2.3–3.3 here: the mean of 2,000 draws is within ±0.5 with overwhelming probability.
            #expect(abs(Double(values.reduce(0, +)) / 2000) < 0.5)
            #expect(Set(values).count > 5)
        }
    }

    @Test("dp sample refuses a non-positive or malformed scale, a negative count and an unknown mechanism with exit 2")
    func sampleBadInput() throws {
        let cases: [[String]] = [
            ["--mechanism", "discrete-laplace", "--scale", "0", "--count", "3"],
            ["--mechanism", "discrete-laplace", "--scale", "-2", "--count", "3"],
            ["--mechanism", "discrete-gaussian", "--scale", "x", "--count", "3"],
            ["--mechanism", "discrete-gaussian", "--scale", "1", "--count", "-3"],
            ["--mechanism", "laplace", "--scale", "1", "--count", "3"],
        ]
        for arguments in cases {
            let result = try CLIProcess.run(["dp", "sample"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("dp budget set, count, mean, an overrun refused with exit 2 and nothing charged, bad data charged nothing")
    func ledgerLifecycle() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let csv = home.appendingPathComponent("people.csv")
        try Data("age,income\n30,50000\n40,\n50,120000\n61,70000\n".utf8).write(to: csv)
        let bad = home.appendingPathComponent("bad.csv")
        try Data("age,income\n30,50000\n41,abc\n".utf8).write(to: bad)
        let common = ["--home", home.path, "--analyst", "ana"]
        // No budget yet: refused.
        #expect(try CLIProcess.run(["dp", "count", "--data", csv.path, "--column", "age", "--epsilon", "0.5"] + common).status == 2)
        #expect(try CLIProcess.run(["dp", "budget", "set", "--dataset", "people.csv", "--epsilon", "1"] + common).status == 0)
        let count = try CLIProcess.run(["dp", "count", "--data", csv.path, "--column", "age", "--epsilon", "0.5", "--format", "json"] + common)
        #expect(count.status == 0, "\(count.stderr)")
        #expect(count.stdout.contains("\"query\":\"count\""))
        let mean = try CLIProcess.run(["dp", "mean", "--data", csv.path, "--column", "income", "--epsilon", "0.25", "--bounds", "0,200000"] + common)
        #expect(mean.status == 0, "\(mean.stderr)")
        // Non-numeric data and reversed bounds: exit 2, nothing charged.
        let badData = try CLIProcess.run(["dp", "sum", "--data", bad.path, "--dataset", "people.csv", "--column", "income", "--epsilon", "0.1", "--bounds", "0,1e6"] + common)
        #expect(badData.status == 2 && badData.stderr.contains(":3"), "\(badData.stderr)")
        #expect(try CLIProcess.run(["dp", "sum", "--data", csv.path, "--column", "income", "--epsilon", "0.1", "--bounds", "9,1"] + common).status == 2)
        // 0.75 spent of 1: a 0.5 release is refused.
        let over = try CLIProcess.run(["dp", "sum", "--data", csv.path, "--column", "income", "--epsilon", "0.5", "--bounds", "0,200000"] + common)
        #expect(over.status == 2)
        #expect(over.stdout.isEmpty && over.stderr.contains("budget exceeded"))
        let show = try CLIProcess.run(["dp", "budget", "show", "--dataset", "people.csv", "--format", "json"] + common)
        let status = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(status["releases"] as? Int == 2)
        #expect((status["spent"] as? [String: Any])?["epsilon"] as? String == "3/4")
        let history = try CLIProcess.run(["dp", "budget", "history", "--home", home.path, "--format", "json"])
        #expect(history.stdout.split(separator: "\n").count == 2)
    }

    @Test("dp histogram, quantile and grouped counts with per-user bounding; --by without --groups is exit 2")
    func histogramQuantileGroups() throws {
        let home = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let csv = home.appendingPathComponent("people.csv")
        try Data("user,city,age\nu1,Paris,30\nu1,Paris,31\nu2,Lyon,45\nu3,Nice,52\nu4,Paris,61\n".utf8).write(to: csv)
        let common = ["--data", csv.path, "--home", home.path, "--format", "json"]
        #expect(try CLIProcess.run(["dp", "budget", "set", "--dataset", "people.csv", "--epsilon", "10", "--delta", "1e-6", "--home", home.path]).status == 0)
        let histogram = try CLIProcess.run(["dp", "histogram", "--column", "city", "--categories", "Paris,Lille", "--epsilon", "1"] + common)
        #expect(histogram.status == 0, "\(histogram.stderr)")
        let cells = try #require((try JSONSerialization.jsonObject(with: Data(histogram.stdout.utf8)) as? [String: Any])?["values"] as? [[String: Any]])
        #expect(cells.compactMap { $0["category"] as? String } == ["Paris", "Lille"])
        let quantile = try CLIProcess.run(["dp", "quantile", "--column", "age", "--bounds", "0,100", "--granularity", "1", "--epsilon", "1"] + common)
        #expect(quantile.status == 0 && quantile.stdout.contains("exponential_mechanism"), "\(quantile.stderr)")
        let grouped = try CLIProcess.run(["dp", "count", "--column", "age", "--by", "city", "--groups", "Paris,Lyon", "--user-id", "user", "--epsilon", "1"] + common)
        #expect(grouped.status == 0 && grouped.stdout.contains("\"max_rows\":1"), "\(grouped.stderr)")
        let gaussian = try CLIProcess.run(["dp", "sum", "--column", "age", "--bounds", "0,100", "--epsilon", "1", "--delta", "1e-6"] + common)
        #expect(gaussian.status == 0 && gaussian.stdout.contains("discrete_gaussian"), "\(gaussian.stderr)")
        // The δ spent is recorded exactly; the whole δ budget is now used, so a second Gaussian release is refused.
        let show = try CLIProcess.run(["dp", "budget", "show", "--dataset", "people.csv", "--home", home.path, "--format", "json"])
        let spent = (try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["spent"] as? [String: Any]
        #expect(spent?["delta"] as? String == "1/1000000", "\(show.stdout)")
        let again = try CLIProcess.run(["dp", "count", "--column", "age", "--epsilon", "1", "--delta", "1e-9"] + common)
        #expect(again.status == 2 && again.stderr.contains("budget exceeded"))
        let undeclared = try CLIProcess.run(["dp", "count", "--column", "age", "--by", "city", "--epsilon", "1"] + common)
        #expect(undeclared.status == 2 && undeclared.stderr.contains("--groups"))
    }
}
