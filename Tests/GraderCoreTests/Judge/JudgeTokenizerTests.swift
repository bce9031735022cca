import Testing

@testable import GraderCore

/// `T:` for text, `N:` for numbers, so a whole tokenization is one readable array.
private func shape(_ line: String) -> [String] {
  let lines = OutputTokenizer.lines(of: line)
  #expect(lines.count <= 1, "\(line.debugDescription) is one line")
  return (lines.first?.tokens ?? []).map {
    switch $0 {
    case .text(let t): "T:\(t)"
    case .number(let n): "N:\(n.text)"
    }
  }
}

@Suite struct JudgeTokenizerTests {
  @Test(arguments: [
    ("x=1.5,", ["T:x=", "N:1.5", "T:,"]),
    ("-3 +2.5e-3 1e10 .5", ["N:-3", "T: ", "N:+2.5e-3", "T: ", "N:1e10", "T: ", "N:.5"]),
    ("1E+5 2.5E-3x", ["N:1E+5", "T: ", "N:2.5E-3", "T:x"]),
    ("a-1", ["T:a-", "N:1"]),
    ("1-2", ["N:1", "T:-", "N:2"]),
    ("x=-1", ["T:x=", "N:-1"]),
    ("(-1)", ["T:(", "N:-1", "T:)"]),
    ("[1,-2]", ["T:[", "N:1", "T:,", "N:-2", "T:]"]),
    ("rank3", ["T:rank", "N:3"]),
    ("2elements", ["N:2", "T:elements"]),
    ("1e", ["N:1", "T:e"]),
    ("Sum is 10.", ["T:Sum is ", "N:10", "T:."]),
    ("1.2.3", ["N:1.2", "T:.", "N:3"]),
    ("v.5", ["T:v.", "N:5"]),
    ("5.e3", ["N:5.e3"]),
    ("--3", ["T:-", "N:-3"]),
    ("- 3", ["T:- ", "N:3"]),
    ("x=nan, y=-inf;", ["T:x=", "N:nan", "T:, y=", "N:-inf", "T:;"]),
  ])
  func numbersAreFoundAnywhere(line: String, tokens: [String]) {
    #expect(shape(line) == tokens)
  }

  @Test(arguments: [
    ("nan NaN -nan inf -inf +inf", ["N:nan", "N:NaN", "N:-nan", "N:inf", "N:-inf", "N:+inf"]),
    ("Infinity -Infinity INF", ["N:Infinity", "N:-Infinity", "N:INF"]),
  ])
  func nonFiniteSpellings(line: String, numbers: [String]) {
    #expect(shape(line).filter { $0.hasPrefix("N:") } == numbers)
  }

  @Test func nonFiniteWordsInsideWordsAreText() {
    #expect(shape("information nano banana xinf") == ["T:information nano banana xinf"])
  }

  @Test func nonFiniteValues() throws {
    let numbers = try #require(OutputTokenizer.lines(of: "nan -inf Infinity -Infinity").first).numbers
    #expect(numbers[0].value.isNaN)
    #expect(numbers[1].value == -.infinity)
    #expect(numbers[2].value == .infinity)
    #expect(numbers[3].value == -.infinity)
    #expect(numbers.allSatisfy { $0.integer == nil })
  }

  @Test(arguments: [
    ("007", "7"), ("-0", "0"), ("+42", "42"), ("-12", "-12"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
  ])
  func integersAreCanonical(text: String, canonical: String) throws {
    let number = try #require(OutputTokenizer.lines(of: text).first?.numbers.first)
    #expect(number.integer == canonical)
    #expect(number.text == text)
  }

  @Test(arguments: ["1.0", "1e3", ".5", "5.e3", "-2.5E-3"])
  func realsAreNotIntegers(text: String) throws {
    let number = try #require(OutputTokenizer.lines(of: text).first?.numbers.first)
    #expect(number.integer == nil)
    #expect(number.value == Double(text))
  }

  @Test func whitespaceCollapsesAndEndsAreTrimmed() {
    #expect(shape("  a  \t b   1.00  \t2.00  ") == ["T:a b ", "N:1.00", "T: ", "N:2.00"])
    #expect(OutputTokenizer.lines(of: "\t a  b \t").first?.text == "a  b")
  }

  @Test func crlfAndTrailingBlankLinesAreIgnored() {
    let lines = OutputTokenizer.lines(of: "a\r\nb \r\n\r\n\n   \n\t")
    #expect(lines.map(\.text) == ["a", "b"])
    #expect(OutputTokenizer.lines(of: "").isEmpty)
    #expect(OutputTokenizer.lines(of: "\n\n  \n").isEmpty)
  }

  @Test func innerBlankLinesCountAndKeepTheirNumbers() {
    let lines = OutputTokenizer.lines(of: "\na\n\n b\n")
    #expect(lines.map(\.text) == ["", "a", "", "b"])
    #expect(lines.map(\.number) == [1, 2, 3, 4])
    #expect(lines[2].tokens.isEmpty)
  }

  @Test func loneCarriageReturnIsWhitespace() {
    #expect(shape("a\rb") == ["T:a b"])
  }

  @Test func skeletonMarksNumbersWithEmptyStrings() throws {
    let line = try #require(OutputTokenizer.lines(of: "x=1, y=2").first)
    #expect(line.skeleton == ["x=", "", ", y=", ""])
    #expect(line.numbers.map(\.text) == ["1", "2"])
  }

  @Test func nonASCIIText() {
    #expect(shape("Grüße, π≈3.14") == ["T:Grüße, π≈", "N:3.14"])
    #expect(shape("é-1") == ["T:é-", "N:1"], "é is a letter, so the - is a hyphen")
    #expect(shape("→-1") == ["T:→", "N:-1"])
    #expect(shape("\u{A0}a\u{A0}\u{3000}b 2\u{2003}") == ["T:a b ", "N:2"], "Unicode spaces collapse and trim")
    #expect(shape("日本nan") == ["T:日本nan"])
    #expect(shape("💥1") == ["T:💥", "N:1"])
  }
}
