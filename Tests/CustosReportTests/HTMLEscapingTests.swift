import Testing
@testable import CustosReport

@Suite("HTML escaping")
struct HTMLEscapingTests {
    @Test("escapes the five markup characters")
    func escapesMarkupCharacters() {
        #expect(HTMLEscaping.escape(#"<a href="x">Tom & 'Jerry'</a>"#)
            == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    }

    @Test("leaves ordinary and non-ASCII text unchanged")
    func leavesPlainText() {
        #expect(HTMLEscaping.escape("Zoë — 東京 ✓") == "Zoë — 東京 ✓")
    }

    @Test("drops control characters XML cannot carry but keeps newlines and tabs")
    func dropsControlCharacters() {
        #expect(HTMLEscaping.escape("a\u{1}b\nc\td") == "ab\nc\td")
    }

    @Test("CSS class names keep only safe characters")
    func sanitizesClassNames() {
        #expect(HTMLEscaping.cssClass("flag\" onclick=\"x") == "flagonclickx")
        #expect(HTMLEscaping.cssClass("\"<>") == nil)
    }
}
