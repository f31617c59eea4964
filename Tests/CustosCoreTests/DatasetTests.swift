import CustosCore
import Foundation
import Testing

/// These tests read the assets installed by `scripts/setup` under `$CUSTOS_HOME`.
@Suite("Bundled data sets")
struct DatasetTests {
    @Test("Adult: rows with '?' dropped, test labels without the trailing '.'")
    func adult() throws {
        let (train, test) = try Datasets.adult()
        // Counts after dropping '?' rows (Fairlearn reference: n_train 30162, n_test 15060).
        #expect(train.rowCount == 30_162)
        #expect(test.rowCount == 15_060)
        #expect(try test.column(named: "income").distinctStrings() == ["<=50K", ">50K"])
        #expect(try train.column(named: "income").distinctStrings() == ["<=50K", ">50K"])
        #expect(try train.column(named: "age").type == .int)
        #expect(train.columns.allSatisfy { $0.missingCount == 0 })
    }

    @Test("COMPAS: ProPublica filters leave 6,172 rows")
    func compas() throws {
        let table = try Datasets.compas()
        #expect(table.rowCount == 6_172)
        #expect(table.hasColumn("decile_score.1"))
        let days = try table.column(named: "days_b_screening_arrest").doubles()
        #expect(days.allSatisfy { ($0.map { abs($0) <= 30 }) == true })
        #expect(try !table.column(named: "c_charge_degree").distinctStrings().contains("O"))
    }

    @Test("German credit: 1,000 rows, codes decoded, two age groups")
    func german() throws {
        let table = try Datasets.german()
        #expect(table.rowCount == 1_000)
        #expect(try table.column(named: "age_factor").distinctStrings() == ["[19, 25)", "[25, 76)"])
        #expect(try table.column(named: "sex").distinctStrings() == ["female", "male"])
        #expect(try table.column(named: "credit").distinctStrings() == ["bad", "good"])
        #expect(try table.column(named: "purpose").distinctStrings().contains("car (new)"))
    }

    @Test("a missing asset is an error naming the setup command")
    func missingAsset() throws {
        let home = CustosHome(path: "/nonexistent-custos-home")
        let error = try #require(throws: CustosError.self) { try Datasets.compas(home: home) }
        #expect(error.code == .missingAsset)
        #expect(error.message.contains("scripts/setup"))
    }

    @Test("the asset catalog pins a checksum for every file")
    func catalog() {
        let files = AssetCatalog.archives.flatMap(\.files)
        #expect(files.count > 10)
        #expect(files.allSatisfy { $0.sha256.count == 64 && $0.size > 0 })
        #expect(AssetCatalog.archives.allSatisfy { $0.requirement.contains("==") && $0.sha256.count == 64 })
    }
}
