import CustosCore
import Testing

@Suite("RFC 4180 CSV reader")
struct CSVReaderTests {
    func records(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> [[String]] {
        try CSVReader.records(Array(text.utf8), options: options).map(\.fields)
    }

    @Test("quoted fields keep delimiters, doubled quotes and line breaks")
    func quotedFields() throws {
        let rows = try records("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(rows == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"]])
    }

    @Test("CRLF, LF and a missing final newline all end records")
    func lineEndings() throws {
        #expect(try records("a,b\r\n1,2\r\n3,4") == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(try records("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
    }

    @Test("a UTF-8 byte-order mark is skipped")
    func byteOrderMark() throws {
        let table = try CSVReader.table([0xEF, 0xBB, 0xBF] + Array("name,n\nZoë,1\n".utf8))
        #expect(table.columnNames == ["name", "n"])
        #expect(try table.column(named: "name").string(at: 0) == "Zoë")
    }

    @Test("a custom delimiter splits fields; commas are then ordinary")
    func customDelimiter() throws {
        #expect(try records("a;b\n1,5;2\n", CSVOptions(delimiter: ";")) == [["a", "b"], ["1,5", "2"]])
    }

    @Test("empty fields and trailing delimiters are kept as empty strings")
    func emptyFields() throws {
        #expect(try records("a,b,c\n,,\n1,,\n") == [["a", "b", "c"], ["", "", ""], ["1", "", ""]])
    }

    @Test("line numbers count line breaks inside quotes")
    func lineNumbers() throws {
        let parsed = try CSVReader.records(Array("h\n\"a\nb\"\nc\n".utf8))
        #expect(parsed.map(\.line) == [1, 2, 4])
    }

    @Test("an unterminated quote is an error naming the line and column where it opened")
    func unterminatedQuote() throws {
        let error = try #require(throws: CustosError.self) { try records("a,b\n1,\"open\n2,3\n") }
        #expect(error.location?.line == 2)
        #expect(error.location?.column == "2")
        #expect(error.message.contains("unterminated"))
    }

    @Test("a quote inside an unquoted field is an error naming line and column")
    func strayQuote() throws {
        let error = try #require(throws: CustosError.self) { try records("a,b\n1,x\"y\n") }
        #expect(error.location?.line == 2)
        #expect(error.location?.column == "2")
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() throws {
        let error = try #require(throws: CustosError.self) { try records("a\n\"x\"y\n") }
        #expect(error.location?.line == 2)
    }

    @Test("invalid UTF-8 is an error with the byte offset, line and column")
    func invalidUTF8() throws {
        let bytes = Array("a,b\n1,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let error = try #require(throws: CustosError.self) { try CSVReader.records(bytes) }
        #expect(error.location?.byteOffset == 6)
        #expect(error.location?.line == 2)
        #expect(error.location?.column == "3")
    }

    @Test("a ragged row is an error naming its line and row")
    func raggedRow() throws {
        let error = try #require(throws: CustosError.self) {
            try CSVReader.table(Array("a,b\n1,2\n3\n".utf8), source: "preds.csv")
        }
        #expect(error.location?.file == "preds.csv")
        #expect(error.location?.line == 3)
        #expect(error.location?.row == 2)
        #expect(error.description.hasPrefix("preds.csv:3"))
    }

    @Test("an empty file is an error")
    func emptyFile() throws {
        let error = try #require(throws: CustosError.self) { try CSVReader.table([], source: "e.csv") }
        #expect(error.message.contains("empty"))
        #expect(error.exitCode == 2)
    }

    @Test("duplicate header names get pandas-style suffixes")
    func duplicateHeaders() throws {
        let table = try CSVReader.table(Array("x,y,x,x\n1,2,3,4\n".utf8))
        #expect(table.columnNames == ["x", "y", "x.1", "x.2"])
    }

    @Test("column types are inferred: int, double, bool, string; missing markers become nil")
    func typeInference() throws {
        let table = try CSVReader.table(Array("i,d,b,s\n1,1.5,true,a\nNA,2,false,\n3,,TRUE,c\n".utf8))
        #expect(try table.column(named: "i").values == .int([1, nil, 3]))
        #expect(try table.column(named: "d").values == .double([1.5, 2, nil]))
        #expect(try table.column(named: "b").values == .bool([true, false, true]))
        #expect(try table.column(named: "s").values == .string(["a", nil, "c"]))
    }

    @Test("a non-number in a numeric request names the row and column")
    func unparsableNumber() throws {
        let table = try CSVReader.table(Array("p\n0.5\nabc\n".utf8), source: "f.csv")
        let error = try #require(throws: CustosError.self) { try table.column(named: "p").doubles() }
        let located = table.locate(error)
        #expect(located.location?.row == 2)
        #expect(located.location?.line == 3)
        #expect(located.location?.column == "p")
    }

    @Test("writer output reads back to the same cells")
    func roundTrip() throws {
        let cells = [["a", "b"], ["x,y", "q\"uote"], ["line\nbreak", " padded "], ["Zoë 😀", ""]]
        let writer = CSVWriter()
        let text = cells.map { writer.encode(record: $0) }.joined()
        #expect(try records(text).count == 4)
        var options = CSVOptions()
        options.inferTypes = false
        #expect(try CSVReader.records(Array(text.utf8), options: options).map(\.fields) == cells)
    }
}

@Suite("CSV round trips found by fuzzing")
struct CSVFuzzRegressionTests {
    @Test("a one-column table with a missing value survives a write and read (fuzz crash 4aad3b0a)")
    func singleColumnMissing() throws {
        // BOM, a header of control characters, and a row of one space (missing after trimming).
        let table = try CSVReader.table([0xEF, 0xBB, 0xBF, 0x0B, 0x00, 0x63, 0x0A, 0x20])
        #expect(table.rowCount == 1)
        let text = CSVWriter().encode(table)
        var options = CSVOptions()
        options.inferTypes = false
        #expect(try CSVReader.records(Array(text.utf8), options: options).count == 2)
    }

    @Test("an empty line is skipped but a quoted empty field is a record")
    func blankVersusQuotedEmpty() throws {
        #expect(try CSVReader.records(Array("a\n\n1\n".utf8)).count == 2)
        #expect(try CSVReader.records(Array("a\n\"\"\n1\n".utf8)).map(\.fields) == [["a"], [""], ["1"]])
    }
}

extension CSVFuzzRegressionTests {
    @Test("a field starting with U+FEFF is quoted so it is not read back as a byte-order mark (fuzz crash d8a918b3)")
    func leadingByteOrderMarkCharacter() throws {
        let table = try CSVReader.table([0xEF, 0xBB, 0xBF, 0x0A, 0x20, 0xEF, 0xBB, 0xBF, 0x0A])
        let text = CSVWriter().encode(table)
        var options = CSVOptions()
        options.inferTypes = false
        let again = try CSVReader.records(Array(text.utf8), options: options)
        #expect(again.map(\.fields) == [table.columnNames])
    }
}

extension CSVFuzzRegressionTests {
    @Test("a line break followed by a combining mark is still quoted (fuzz crash 20d58591)")
    func lineBreakBeforeCombiningMark() throws {
        let table = try CSVReader.table([0x22, 0x3B, 0x0A, 0xCC, 0x81, 0x22, 0x0A, 0x3B, 0x0A])
        #expect(table.columnNames == [";\n\u{301}"])
        let text = CSVWriter().encode(table)
        var options = CSVOptions()
        options.inferTypes = false
        #expect(try CSVReader.records(Array(text.utf8), options: options).map(\.fields) == [[";\n\u{301}"], [";"]])
    }
}
