import Testing

@testable import GraderCore

func judgeCompare(
  _ got: String, _ expected: String, atol: Double = 0, rtol: Double = 0, unordered: Bool = false,
  label: String = "rank 0"
) -> Mismatch? {
  OutputComparison.compare(
    got: got, expected: expected, tolerance: Tolerance(atol: atol, rtol: rtol), unordered: unordered, label: label)
}

@Suite struct JudgeOutputComparisonTests {
  @Test func numberMessageHasTheExactFormat() {
    let mismatch = judgeCompare("pi:\n3.1416\n", "pi:\n3.14159265\n", atol: 1e-8)
    #expect(mismatch == Mismatch(
      message: "rank 0, line 2, number 1: got 3.1416, expected 3.14159265 (|Δ| 7.3e-6 > tol 1e-8)"))
  }

  @Test func tolIsTheEffectiveAllowanceAndNumbersAreCountedPerLine() {
    let mismatch = judgeCompare("x=1, y=2.5\n", "x=1, y=2.0\n", atol: 0.1, rtol: 0.2, label: "merged output")
    #expect(mismatch?.message == "merged output, line 1, number 2: got 2.5, expected 2.0 (|Δ| 0.5 > tol 0.4)")
  }

  @Test func closeDeltaAndTolGetEnoughDigitsToDiffer() {
    let mismatch = judgeCompare("1.0000000104", "1", atol: 1e-8)
    #expect(mismatch?.message == "rank 0, line 1, number 1: got 1.0000000104, expected 1 (|Δ| 1.04e-8 > tol 1e-8)")
  }

  @Test func withinToleranceMatches() {
    #expect(judgeCompare("x=1.5, y=2.0000001\n", "x=1.5, y=2.0\n", atol: 1e-6) == nil)
    #expect(judgeCompare("101.0", "100.0", rtol: 0.01) == nil)
    #expect(judgeCompare("3", "3.0") == nil, "an integer against a real compares as reals")
    #expect(judgeCompare("3.10", "3.1") == nil)
  }

  @Test func integersCompareExactlyRegardlessOfTolerance() {
    #expect(judgeCompare("7", "8", atol: 100, rtol: 1)?.message == "rank 0, line 1, number 1: got 7, expected 8")
    #expect(judgeCompare("count 101", "count 100", rtol: 0.1) != nil)
    #expect(judgeCompare("007 -0", "7 0") == nil)
    #expect(judgeCompare("123456789012345678901234567891", "123456789012345678901234567890", atol: 1e6) != nil)
  }

  @Test func nonFiniteSpellingsMatchEachOther() {
    #expect(judgeCompare("nan inf -inf", "NaN Infinity -Infinity") == nil)
    #expect(judgeCompare("-nan", "nan") == nil)
  }

  @Test func nonFiniteMismatches() {
    let loose = Double.greatestFiniteMagnitude
    #expect(judgeCompare("r = nan", "r = 0.5", atol: loose)?.message
      == "rank 0, line 1, number 1: got nan, expected 0.5 (nan and inf match only themselves)")
    #expect(judgeCompare("inf", "-inf", atol: loose)?.message
      == "rank 0, line 1, number 1: got inf, expected -inf (nan and inf match only themselves)")
    #expect(judgeCompare("1e308", "inf", atol: loose) != nil)
    #expect(judgeCompare("nan", "inf") != nil)
  }

  @Test func textMismatchQuotesBothLines() {
    let mismatch = judgeCompare("a\nb\nHello from 2\n", "a\nb\nHello from rank 2\n")
    #expect(mismatch == Mismatch(message: #"rank 0, line 3: got "Hello from 2", expected "Hello from rank 2""#))
  }

  @Test func missingFullStopIsATextMismatch() {
    #expect(judgeCompare("Sum is 10", "Sum is 10.")?.message == #"rank 0, line 1: got "Sum is 10", expected "Sum is 10.""#)
  }

  @Test func whitespaceIsCollapsedButNotIgnored() {
    #expect(judgeCompare("  a   b\t 1   2  \r\n\r\n\n", "a b 1 2") == nil)
    #expect(judgeCompare("x=1", "x= 1") != nil)
  }

  @Test func trailingBlankLinesAndMissingFinalNewlineAreIgnored() {
    #expect(judgeCompare("a\nb", "a\nb\n\n\n") == nil)
    #expect(judgeCompare("", "\n \n") == nil)
  }

  @Test func innerBlankLineCounts() {
    #expect(judgeCompare("a\n\nb", "a\nb")?.message == #"rank 0: got 3 lines, expected 2; first extra is line 2: """#)
  }

  @Test func missingLinesAtTheEnd() {
    let mismatch = judgeCompare("a\nb\nc\n", "a\nb\nc\nd\ne\n")
    #expect(mismatch?.message == #"rank 0: got 3 lines, expected 5; first missing is line 4: "d""#)
    #expect(mismatch?.details == #"rank 0, line 5: missing line "e""#)
  }

  @Test func missingLineInTheMiddleIsFoundWithoutCascade() {
    let mismatch = judgeCompare("a 1\nc 3\nd 4\n", "a 1\nb 2\nc 3\nd 4\n")
    #expect(mismatch == Mismatch(message: #"rank 0: got 3 lines, expected 4; first missing is line 2: "b 2""#))
  }

  @Test func extraLineInTheMiddle() {
    let mismatch = judgeCompare("a\nb\ndebug: x=3\nc\nd\n", "a\nb\nc\nd\n")
    #expect(mismatch == Mismatch(message: #"rank 0: got 5 lines, expected 4; first extra is line 3: "debug: x=3""#))
  }

  @Test func noOutputAtAll() {
    #expect(judgeCompare("", "Hello\n")?.message == #"rank 0: got 0 lines, expected 1; first missing is line 1: "Hello""#)
    #expect(judgeCompare("x\n", "")?.message == #"rank 0: got 1 line, expected 0; first extra is line 1: "x""#)
  }

  @Test func tokenCountMismatch() {
    #expect(judgeCompare("1 2\n", "1 2 3\n")?.message
      == #"rank 0, line 1: got 2 numbers, expected 3 (got "1 2", expected "1 2 3")"#)
    #expect(judgeCompare("12\n", "1 2\n")?.message
      == #"rank 0, line 1: got 1 number, expected 2 (got "12", expected "1 2")"#)
  }

  @Test func detailsListFurtherMismatchesInOrder() {
    let mismatch = judgeCompare("1 2 3\nok\n9\n", "1 5 6\nOK\n9\n")
    #expect(mismatch?.message == "rank 0, line 1, number 2: got 2, expected 5")
    #expect(mismatch?.details == """
      rank 0, line 1, number 3: got 3, expected 6
      rank 0, line 2: got "ok", expected "OK"
      """)
  }

  @Test func detailsAreCapped() throws {
    let got = (1...30).map { "v \($0)" }.joined(separator: "\n")
    let expected = (1...30).map { "v \($0 + 100)" }.joined(separator: "\n")
    let mismatch = try #require(judgeCompare(got, expected))
    #expect(mismatch.message == "rank 0, line 1, number 1: got 1, expected 101")
    let details = mismatch.details.split(separator: "\n")
    #expect(details.count == Mismatch.detailLimit + 1)
    #expect(details.first == "rank 0, line 2, number 1: got 2, expected 102")
    #expect(details.last == "… and 9 more")
  }

  @Test func longLinesAreCutAroundTheFirstDifference() throws {
    let prefix = String(repeating: "word ", count: 30)
    let message = try #require(judgeCompare(prefix + "alpha tail", prefix + "beta tail")?.message)
    #expect(message == #"rank 0, line 1: got "…word word word word alpha tail", expected "…word word word word beta tail""#)
    let short = try #require(judgeCompare("x" + prefix, "y" + prefix)?.message)
    #expect(short.hasPrefix(#"rank 0, line 1: got "xword word"#))
    #expect(short.contains(#"…", expected "yword"#))
  }

  @Test func quotesAndTabsAreEscapedInMessages() {
    #expect(judgeCompare("say \"hi\"", "say 'hi'")?.message == #"rank 0, line 1: got "say \"hi\"", expected "say 'hi'""#)
  }

  @Test func emptyLabelIsLeftOut() {
    #expect(judgeCompare("7", "8", label: "")?.message == "line 1, number 1: got 7, expected 8")
    #expect(judgeCompare("", "8", label: "")?.message == #"got 0 lines, expected 1; first missing is line 1: "8""#)
  }
}
