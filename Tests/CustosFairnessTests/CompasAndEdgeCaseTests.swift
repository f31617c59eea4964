import CustosCore
import CustosFairness
import Foundation
import Testing

@Suite("COMPAS audit equals the ProPublica reference")
struct CompasReferenceTests {
    @Test("per-race confusion counts and FPR, FNR, PPV, NPV, selection rate")
    func perRace() throws {
        let table = try FairnessAudit.compasAuditTable(home: CustosHome())
        var options = MetricFrameOptions()
        options.bootstrapResamples = 0
        let report = try FairnessAudit.run(
            .init(table: table, source: "compas", label: "two_year_recid", prediction: FairnessAudit.compasPredictionColumn,
                  score: nil, sensitive: ["race"], positiveLabel: nil),
            options: options)
        let expected = try Fixtures.json("fairness/compas_expected.json")
        let byGroup = try #require(expected["by_group"] as? [String: [String: Double]])
        #expect(report.input.rows == 6_172)
        for (race, values) in byGroup {
            let group = try #require(report.groups.first { $0.attribute == "race" && $0.group == race })
            #expect(Double(group.count) == values["count"])
            #expect(group.confusion.tp == values["tp"])
            #expect(group.confusion.fp == values["fp"])
            #expect(group.confusion.tn == values["tn"])
            #expect(group.confusion.fn == values["fn"])
            let pairs: [(GroupMetric, String)] = [
                (.fpr, "fpr"), (.fnr, "fnr"), (.tpr, "tpr"), (.tnr, "tnr"), (.ppv, "ppv"), (.npv, "npv"),
                (.selectionRate, "selection_rate"), (.baseRate, "base_rate"), (.accuracy, "accuracy"),
            ]
            for (metric, key) in pairs {
                #expect(close(group.metrics[metric], values[key]), "\(race) \(key)")
            }
        }
        // Small groups are flagged, never dropped.
        let native = try #require(report.groups.first { $0.group == "Native American" })
        #expect(native.small)
        #expect(native.count == 11)
    }
}

@Suite("Audit edge cases")
struct AuditEdgeCaseTests {
    func table(_ csv: String) throws -> Table { try CSVReader.table(Array(csv.utf8), source: "t.csv") }

    func audit(_ csv: String, positive: String? = nil, sensitive: [String] = ["g"], score: String? = nil) throws -> AuditReport {
        var options = MetricFrameOptions()
        options.bootstrapResamples = 50
        return try FairnessAudit.run(
            .init(table: try table(csv), source: "t.csv", label: "y", prediction: "p", score: score,
                  sensitive: sensitive, positiveLabel: positive),
            options: options)
    }

    @Test("a metric undefined for a group is null, not 0")
    func undefinedMetric() throws {
        // Group b has no positives: TPR and FNR are undefined there.
        let report = try audit("y,p,g\n1,1,a\n0,0,a\n1,0,a\n0,1,b\n0,0,b\n")
        let b = try #require(report.groups.first { $0.group == "b" })
        #expect(b.metrics[.tpr] == nil)
        #expect(b.metrics[.fnr] == nil)
        #expect(b.metrics[.fpr] == 0.5)
        let json = try report.json(pretty: false)
        #expect(json.contains("\"tpr\":null"))
        // Equal opportunity then has only one defined group: no difference, group named as undefined.
        let eo = try #require(report.disparities.first { $0.metric == .equalOpportunity })
        #expect(eo.difference == nil)
        #expect(eo.undefinedGroups == ["b"])
    }

    @Test("a sensitive column with one group only is an error naming it")
    func singleGroup() throws {
        let error = try #require(throws: CustosError.self) { try audit("y,p,g\n1,1,a\n0,0,a\n") }
        #expect(error.location?.column == "g")
        #expect(error.message.contains("one group"))
    }

    @Test("a non-binary label without --positive-label is an error naming the column")
    func nonBinaryLabel() throws {
        let error = try #require(throws: CustosError.self) { try audit("y,p,g\nyes,1,a\nno,0,b\n") }
        #expect(error.location?.column == "y")
        #expect(error.message.contains("--positive-label"))
        let report = try audit("y,p,g\nyes,yes,a\nno,no,b\nyes,no,b\n", positive: "yes")
        #expect(report.overall.confusion.tp == 1 && report.overall.confusion.fn == 1)
    }

    @Test("a missing column is an error listing the columns")
    func missingColumn() throws {
        let error = try #require(throws: CustosError.self) { try audit("y,p,g\n1,1,a\n0,0,b\n", sensitive: ["sex"]) }
        #expect(error.message.contains("no column named 'sex'"))
    }

    @Test("an unparsable score names the file, line and column")
    func badScore() throws {
        let error = try #require(throws: CustosError.self) {
            try audit("y,p,g,s\n1,1,a,0.9\n0,0,b,oops\n", score: "s")
        }
        #expect(error.location?.file == "t.csv")
        #expect(error.location?.line == 3)
        #expect(error.location?.column == "s")
    }

    @Test("missing sensitive values form their own reported group")
    func missingGroup() throws {
        let report = try audit("y,p,g\n1,1,a\n0,0,\n1,0,b\n")
        #expect(report.groups.map(\.group).contains(SensitiveAttribute.missingGroup))
    }

    @Test("the bootstrap is reproducible for a seed and changes with it")
    func reproducibleBootstrap() throws {
        let csv = "y,p,g\n" + (0..<200).map { i in "\(i % 3 == 0 ? 1 : 0),\(i % 4 == 0 ? 1 : 0),\(i % 2 == 0 ? "a" : "b")" }.joined(separator: "\n")
        let t = try table(csv)
        let outcomes = try BinaryOutcomes(table: t, label: "y", prediction: "p")
        let g = try SensitiveAttribute(table: t, column: "g")
        var options = MetricFrameOptions()
        options.bootstrapResamples = 100
        let first = try MetricFrame(outcomes, sensitive: [g], options: options)
        let second = try MetricFrame(outcomes, sensitive: [g], options: options)
        options.seed = 1
        let third = try MetricFrame(outcomes, sensitive: [g], options: options)
        #expect(first.groups(of: "g")[0].ci == second.groups(of: "g")[0].ci)
        #expect(first.groups(of: "g")[0].ci != third.groups(of: "g")[0].ci)
    }

    @Test("the JSON report carries the documented contract fields")
    func jsonContract() throws {
        let report = try audit("y,p,g,s\n1,1,a,0.9\n0,0,a,0.2\n1,0,b,0.4\n0,1,b,0.7\n", score: "s")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json(pretty: false).utf8)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        let first = try #require(groups.first)
        #expect(Set(first.keys).isSuperset(of: ["attribute", "group", "count", "metrics", "ci", "small"]))
        let metrics = try #require(first["metrics"] as? [String: Any])
        #expect(Set(metrics.keys) == ["accuracy", "selection_rate", "base_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "fdr", "for", "auc"])
        #expect(object["overall"] is [String: Any])
        let disparities = try #require(object["disparities"] as? [[String: Any]])
        #expect(Set(disparities.compactMap { $0["metric"] as? String }) == [
            "demographic_parity", "equalized_odds", "equal_opportunity", "predictive_parity", "disparate_impact",
        ])
        #expect(disparities.allSatisfy { $0["difference"] != nil && $0["ratio"] != nil && $0["attribute"] as? String == "g" })
    }
}
