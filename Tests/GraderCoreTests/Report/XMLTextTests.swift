import Testing

@testable import GraderCore

@Suite struct ReportXMLTextTests {
  @Test(arguments: [
    ("\u{1B}[31mred\u{1B}[0m", "red"),
    ("\u{1B}[1;38;5;208mbold\u{1B}[m", "bold"),
    ("\u{1B}[?25lcursor", "cursor"),
    ("\u{1B}]0;window title\u{07}after", "after"),
    ("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
    ("\u{1B}]unterminated\nnext line", "\nnext line"),
    ("\u{1B}(Bcharset \u{1B}7saved", "charset saved"),
    ("\u{1B}Pdcs string\u{1B}\\done", "done"),
    ("cut \u{1B}[31", "cut "),
  ])
  func escapeSequencesAreStripped(input: String, expected: String) {
    #expect(XMLText.clean(input) == expected)
  }

  @Test func charactersXMLCannotCarryBecomeVisible() {
    #expect(XMLText.clean("a\u{0}b\u{8}c\u{1B}\u{7F}\u{9B}\u{FFFE}\u{FFFF}") == #"a\u{0}b\u{8}c\u{1B}\u{7F}\u{9B}\u{FFFE}\u{FFFF}"#)
    #expect(XMLText.clean("tab\tlf\ncr\r é ✓ 😀") == "tab\tlf\ncr\r é ✓ 😀")
    #expect(XMLText.clean("\u{1B}") == #"\u{1B}"#)
    #expect(XMLText.clean("\u{1B}\u{1B}[0m") == #"\u{1B}"#)
  }

  @Test func markupIsEscaped() {
    #expect(XMLText.escape(#"<a href="x">&'b'</a> ]]>"#)
      == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;b&apos;&lt;/a&gt; ]]&gt;")
    #expect(XMLText.escape("line\r\n") == "line&#13;\n")
    #expect(XMLText.attribute("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
  }

  @Test func rawBytesAreDecodedWithReplacement() {
    let bytes: [UInt8] = [0x41, 0xFF, 0x42, 0xC3, 0xA9, 0xE2, 0x82, 0x00, 0x1B, 0x5B, 0x33, 0x6D, 0x3C]
    #expect(XMLText.content(bytes) == #"A\#u{FFFD}Bé\#u{FFFD}\u{0}&lt;"#)
    #expect(XMLText.content("ok") == XMLText.content(Array("ok".utf8)))
  }

  @Test func capKeepsHeadAndTailAndCountsTheRest() {
    let bytes = Array(repeating: UInt8(ascii: "a"), count: 100) + Array(repeating: UInt8(ascii: "z"), count: 100)
    let capped = String(decoding: XMLText.capped(bytes, limit: 20), as: UTF8.self)
    #expect(capped == String(repeating: "a", count: 10) + "\n[… 180 bytes dropped …]\n" + String(repeating: "z", count: 10))
    #expect(XMLText.capped(bytes, limit: 200) == bytes)
    #expect(XMLText.content(String(repeating: "x", count: 10_485_760 + 65_536)).contains("[… 10485760 bytes dropped …]"))
  }

  @Test func capNeverSplitsACharacter() {
    let text = String(repeating: "é", count: 50)  // 2 bytes each
    let capped = String(decoding: XMLText.capped(Array(text.utf8), limit: 11), as: UTF8.self)
    #expect(!capped.contains("\u{FFFD}"))
    #expect(capped == "éé\n[… 90 bytes dropped …]\nééé")
    let odd = String(decoding: XMLText.capped(Array(text.utf8), limit: 13), as: UTF8.self)
    #expect(odd == "ééé\n[… 88 bytes dropped …]\nééé")
  }
}
