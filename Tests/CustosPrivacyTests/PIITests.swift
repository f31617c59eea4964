import CustosCore
@testable import CustosPrivacy
import Foundation
import Testing

/// The PII dev set (`Tests/Fixtures/privacy/pii_dev.jsonl`, 1,000 Faker texts with exact spans; provenance in
/// `Tests/Fixtures/README.md`) and the gazetteer from the `faker-locales` asset that setup installs.
enum PIIFixtures {
    static let devSet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/privacy/pii_dev.jsonl").path

    static let items: [LabelledText] = (try? PIIEvaluation.load(devSet)) ?? []

    /// Presidio 2.2.366's exact-span F1 per type on the dev set (`presidio_dev_scores.json`, made by
    /// `scripts/fixtures/presidio_pii_scores.py` from the spans of `scripts/peers/pii.py`).
    static let presidioF1: [EntityType: Double] = {
        let url = URL(fileURLWithPath: devSet).deletingLastPathComponent().appendingPathComponent("presidio_dev_scores.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let perType = root["per_type"] as? [String: [String: Any]] else { return [:] }
        var out: [EntityType: Double] = [:]
        for (type, scores) in perType { out[EntityType(type)] = (scores["f1"] as? NSNumber)?.doubleValue }
        return out
    }()

    static func gazetteer() throws -> Gazetteer { try Gazetteer.load(home: CustosHome(path: nil)) }
}

@Suite("PII checksums")
struct PIIChecksumTests {
    @Test("Keccak-256 and the EIP-55 examples of the EIP")
    func keccakAndEIP55() {
        let hex = { (b: [UInt8]) in b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(Keccak256.hash([])) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(hex(Keccak256.hash(Array("abc".utf8))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        let good = ["5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                    "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]
        for address in good {
            let v = address.unicodeScalars.map(\.value)
            #expect(Checksums.eip55(v), "\(address)")
            var flipped = v
            if let k = flipped.firstIndex(where: Scalars.isASCIILetter) { flipped[k] ^= 0x20 }
            #expect(!Checksums.eip55(flipped), "case-flipped \(address)")
        }
    }

    @Test("Luhn, IBAN mod 97 and SSN rules")
    func numbers() {
        let digits = { (s: String) in s.unicodeScalars.filter { Scalars.isDigit($0.value) }.map { UInt8($0.value - 48) } }
        #expect(Checksums.luhn(digits("4111 1111 1111 1111")))
        #expect(!Checksums.luhn(digits("4111 1111 1111 1112")))
        #expect(Checksums.ibanMod97("GB82WEST12345698765432".unicodeScalars.map(\.value)))
        #expect(!Checksums.ibanMod97("GB82WEST12345698765433".unicodeScalars.map(\.value)))
        #expect(!SSNRecognizer.isValid(digits("666-12-3456")))
        #expect(!SSNRecognizer.isValid(digits("900-12-3456")))
        #expect(!SSNRecognizer.isValid(digits("123-00-4567")))
        #expect(!SSNRecognizer.isValid(digits("123-45-0000")))
        #expect(SSNRecognizer.isValid(digits("536-22-8726")))
    }

    @Test("every dev-set wallet verifies and a one-character change does not")
    func walletChecksums() {
        let recognizer = CryptoRecognizer()
        var checked = 0
        for item in PIIFixtures.items {
            let text = ScalarText(item.text)
            for span in item.spans where span.type == .crypto {
                let token = Array(text.values[span.start..<span.end])
                #expect(recognizer.classify(token) == 1.0, "\(text.string(span.start..<span.end))")
                var changed = token
                let k = changed.count / 2
                changed[k] = changed[k] == 113 ? 112 : 113  // q ↔ p, both in the Base58 and Bech32 alphabets
                #expect(recognizer.classify(changed) == nil)
                checked += 1
            }
        }
        #expect(checked == 71)
    }
}

@Suite("PII analyzer")
struct PIIAnalyzerTests {
    @Test("IPv4 and IPv6 grammar")
    func ipGrammar() {
        let valid = ["192.0.2.1", "::1", "::", "fe80::23c5:3802:a25a", "2001:db8::ffff:192.0.2.1", "::ffff:10.0.0.1",
                     "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "1::"]
        let invalid = ["256.1.1.1", "1.2.3", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "1:2:3:4:5:6:7",
                       "10:30:00"]
        for s in valid { #expect(IPAddressRecognizer.match(s.unicodeScalars.map(\.value), start: 0, runEnd: s.unicodeScalars.count) != nil, "\(s)") }
        for s in invalid { #expect(IPAddressRecognizer.match(s.unicodeScalars.map(\.value), start: 0, runEnd: s.unicodeScalars.count) == nil, "\(s)") }
    }

    @Test("offsets are Unicode scalars, with exact UTF-8 and UTF-16 conversions, in any script")
    func unicodeOffsets() {
        let analyzer = Analyzer(recognizers: Analyzer.builtInRecognizers())
        let prefixes = ["e\u{301}te\u{301} 👩‍👩‍👧 ", "我的邮箱是", "שלום עולם ", "مرحبا بالعالم: ", "🇫🇷🇩🇪 ", "Ünïcödé ñ "]
        for prefix in prefixes {
            let value = "ana.lopez@example.org"
            let text = prefix + value + " ✔︎"
            let spans = analyzer.analyze(text)
            let expectedStart = prefix.unicodeScalars.count
            #expect(spans.map(\.start) == [expectedStart], "\(prefix)")
            #expect(spans.map(\.end) == [expectedStart + value.unicodeScalars.count])
            let scalars = ScalarText(text)
            #expect(scalars.utf8Offset(ofScalar: expectedStart) == prefix.utf8.count)
            #expect(scalars.utf16Offset(ofScalar: expectedStart) == prefix.utf16.count)
            #expect(scalars.string(spans[0].range) == value)
        }
    }

    @Test("the overlap rule does not depend on recognizer order, and allow/deny lists apply")
    func overlapsAndLists() {
        let text = "card 4111 1111 1111 1111 or call +1 (283) 422-0203, from 10.0.0.1 on 2011-09-10 16:15"
        let forward = Analyzer(recognizers: Analyzer.builtInRecognizers()).analyze(text)
        let backward = Analyzer(recognizers: Analyzer.builtInRecognizers().reversed()).analyze(text)
        #expect(forward == backward)
        #expect(forward.map(\.type) == [.creditCard, .phoneNumber, .ipAddress, .dateTime])
        let lists = Analyzer(recognizers: Analyzer.builtInRecognizers(), allowList: ["10.0.0.1"], denyList: [EntityType("PROJECT"): ["Bluebird"]])
        let spans = lists.analyze("project Bluebird from 10.0.0.1")
        #expect(spans.map(\.type) == [EntityType("PROJECT")])
    }

    @Test("dev set: pattern F1 ≥ 0.95, every type ≥ Presidio, PERSON/LOCATION recall reported")
    func devSet() throws {
        let analyzer = Analyzer(recognizers: Analyzer.builtInRecognizers(gazetteer: try PIIFixtures.gazetteer()))
        #expect(PIIFixtures.items.count == 1000)
        let evaluation = PIIEvaluation.run(analyzer, on: PIIFixtures.items)
        let micro = evaluation.micro(EntityType.patternTypes)
        #expect(micro.f1 >= 0.95, "pattern micro F1 \(micro.f1)")
        #expect(PIIFixtures.presidioF1.count >= 9)
        for (type, presidio) in PIIFixtures.presidioF1 where presidio > 0 {
            let f1 = evaluation.exact[type]?.f1 ?? 0
            #expect(f1 >= presidio, "\(type): F1 \(f1) < Presidio's \(presidio)")
        }
        for type in [EntityType.person, .location] {
            let recall = evaluation.overlap[type]?.recall ?? 0
            print("dev set \(type) recall (overlap) \(recall), exact \(evaluation.exact[type]?.recall ?? 0)")
            #expect(recall > 0.5, "\(type) recall \(recall)")
        }
    }
}

extension PIIAnalyzerTests {
    @Test("held-out set (our own Faker templates, not tuned on): pattern F1 ≥ 0.95, every pattern type ≥ 0.9")
    func heldOut() throws {
        let path = URL(fileURLWithPath: PIIFixtures.devSet).deletingLastPathComponent().appendingPathComponent("pii_heldout.jsonl").path
        let items = try PIIEvaluation.load(path)
        #expect(items.count == 400)
        let analyzer = Analyzer(recognizers: Analyzer.builtInRecognizers(gazetteer: try PIIFixtures.gazetteer()))
        let evaluation = PIIEvaluation.run(analyzer, on: items)
        #expect(evaluation.micro(EntityType.patternTypes).f1 >= 0.95)
        for type in EntityType.patternTypes where evaluation.exact[type] != nil {
            #expect((evaluation.exact[type]?.f1 ?? 0) >= 0.9, "\(type)")
        }
        for type in [EntityType.person, .location] {
            print("held-out \(type) recall (overlap) \(evaluation.overlap[type]?.recall ?? 0), precision \(evaluation.overlap[type]?.precision ?? 0)")
        }
    }
}

@Suite("PII anonymizer")
struct PIIAnonymizerTests {
    let key: AnonymizerKey = {
        // A fixed test key.
        (try? AnonymizerKey(bytes: Array(0..<32))) ?? AnonymizerKey.generate()
    }()

    @Test("pseudonymize then restore returns every dev-set text exactly")
    func roundTrip() throws {
        let analyzer = Analyzer(recognizers: Analyzer.builtInRecognizers(gazetteer: try PIIFixtures.gazetteer()))
        let anonymizer = try Anonymizer(defaultOperator: .pseudonymize, key: key)
        var vault = Vault()
        var changed = 0
        for item in PIIFixtures.items {
            let spans = analyzer.analyze(item.text)
            let out = try anonymizer.anonymize(item.text, spans: spans, vault: &vault)
            if out.text != item.text { changed += 1 }
            let restored = try Restorer(vault: vault, key: key).restore(out.text)
            #expect(restored == item.text)
        }
        #expect(changed > 900)
    }

    @Test("operators: mask, replace, redact, hash (stable per key), encrypt (reversible), format-preserving surrogates")
    func operators() throws {
        let text = "pay 4111 1111 1111 1111 to GB82 WEST 1234 5698 7654 32, mail ana@example.org"
        let spans = Analyzer(recognizers: Analyzer.builtInRecognizers()).analyze(text)
        #expect(spans.map(\.type) == [.creditCard, .ibanCode, .emailAddress])
        var vault = Vault()
        let masked = try Anonymizer(operators: [.creditCard: .mask(character: "*", keep: 4, fromEnd: true)], defaultOperator: .redact)
            .anonymize(text, spans: spans, vault: &vault)
        #expect(masked.text == "pay **** **** **** 1111 to , mail ")
        let tagged = try Anonymizer().anonymize(text, spans: spans, vault: &vault)
        #expect(tagged.text == "pay <CREDIT_CARD> to <IBAN_CODE>, mail <EMAIL_ADDRESS>")
        let hashed1 = try Anonymizer(defaultOperator: .hash, key: key).anonymize(text, spans: spans, vault: &vault).text
        let hashed2 = try Anonymizer(defaultOperator: .hash, key: key).anonymize(text, spans: spans, vault: &vault).text
        let hashedOther = try Anonymizer(defaultOperator: .hash, key: AnonymizerKey.generate()).anonymize(text, spans: spans, vault: &vault).text
        #expect(hashed1 == hashed2)
        #expect(hashed1 != hashedOther)
        let encrypted = try Anonymizer(defaultOperator: .encrypt, key: key).anonymize(text, spans: spans, vault: &vault).text
        #expect(!encrypted.contains("4111"))
        #expect(try Restorer(key: key).restore(encrypted) == text)
        #expect(throws: CustosError.self) { try Restorer(key: AnonymizerKey.generate()).restore(encrypted) }

        var v = Vault()
        let pseudo = try Anonymizer(defaultOperator: .pseudonymize, key: key)
        let once = try pseudo.anonymize(text, spans: spans, vault: &v)
        let twice = try pseudo.anonymize(text, spans: spans, vault: &v)
        #expect(once.text == twice.text)
        let surrogates = Analyzer(recognizers: Analyzer.builtInRecognizers()).analyze(once.text)
        // The surrogates still validate as what they replace: Luhn, mod 97, an e-mail with its TLD.
        #expect(surrogates.map(\.type) == [.creditCard, .ibanCode, .emailAddress])
        #expect(once.text.hasSuffix(".org"))
        #expect(throws: CustosError.self) { try Anonymizer(defaultOperator: .hash) }
    }

    @Test("a sealed vault opens only with its key")
    func vaultFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custos-vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var vault = Vault()
        _ = try Anonymizer(defaultOperator: .pseudonymize, key: key).anonymize("ana@example.org", spans: [
            EntitySpan(start: 0, end: 15, type: .emailAddress, score: 1, recognizer: "t"),
        ], vault: &vault)
        let path = dir.appendingPathComponent("v.json").path
        try vault.save(to: path, key: key)
        #expect(try Vault.load(from: path, key: key) == vault)
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("ana@"))
        #expect(throws: CustosError.self) { try Vault.load(from: path, key: AnonymizerKey.generate()) }
    }
}

@Suite("PII custom recognizers")
struct PIICustomRecognizerTests {
    @Test("YAML recognizers with validators, context and line-numbered errors")
    func yaml() throws {
        let yaml = """
            recognizers:
              - name: employee_id
                entity: EMPLOYEE_ID
                patterns:
                  - regex: 'EMP-[0-9]{6}'
                    score: 0.3
                context: [employee]
              - name: card_like
                entity: CARD_REF
                patterns:
                  - regex: '[0-9]{16}'
                    score: 0.9
                validator: luhn
            """
        let recognizers = try PatternRecognizer.load(yaml: yaml)
        let analyzer = Analyzer(recognizers: recognizers)
        #expect(analyzer.analyze("ticket EMP-123456").isEmpty)  // 0.3 < 0.5 without context
        let withContext = analyzer.analyze("employee 👷 EMP-123456")
        #expect(withContext.map(\.start) == [11])
        #expect(abs((withContext.first?.score ?? 0) - 0.65) < 1e-12)  // 0.3 + 0.35
        #expect(analyzer.analyze("4111111111111111 4111111111111112").map(\.type) == [EntityType("CARD_REF")])
        let bad = """
            recognizers:
              - name: ok
                entity: A
                patterns:
                  - regex: 'a+'
              - name: broken
                entity: B
                patterns:
                  - regex: '([a-z'
            """
        do {
            _ = try PatternRecognizer.load(yaml: bad)
            Issue.record("a bad regex was accepted")
        } catch let error as CustosError {
            #expect(error.location?.line == 9)
            #expect(error.message.contains("broken"))
        }
    }
}
