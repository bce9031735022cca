import Testing

@testable import GraderCore

@Suite struct JudgeUnorderedTests {
  @Test func unorderedAcceptsAnyPermutation() {
    let expected = "Hello from rank 0\nHello from rank 1\nHello from rank 2\n"
    let got = "Hello from rank 2\nHello from rank 0\nHello from rank 1\n"
    #expect(judgeCompare(got, expected, unordered: true) == nil)
    #expect(judgeCompare(got, expected) != nil, "ordered mode still cares")
  }

  @Test func unorderedCountsDuplicates() {
    let mismatch = judgeCompare("hi 1\nhi 2\nhi 2\n", "hi 1\nhi 1\nhi 2\n", unordered: true, label: "merged output")
    #expect(mismatch?.message
      == #"merged output: expected line 2 "hi 1" has no match in any order; closest is line 3, number 1: got 2, expected 1"#)
    #expect(mismatch?.details == #"merged output: got line 3 "hi 2" matches no expected line"#)
    #expect(judgeCompare("a\na\nb\n", "b\na\na\n", unordered: true) == nil)
  }

  @Test func unorderedUsesTolerance() {
    #expect(judgeCompare("x 2.0000001\nx 0.9999999\n", "x 1.0\nx 2.0\n", atol: 1e-6, unordered: true) == nil)
    let mismatch = judgeCompare("x 2.0000001\nx 1.5\n", "x 1.0\nx 2.0\n", atol: 1e-3, unordered: true)
    #expect(mismatch?.message
      == "rank 0: expected line 1 \"x 1.0\" has no match in any order; closest is line 2, number 1: got 1.5, expected 1.0 (|Δ| 0.5 > tol 0.001)")
  }

  @Test func unorderedReportsLineCountAndExtras() {
    let extra = judgeCompare("b\nDEBUG\na\n", "a\nb\n", unordered: true)
    #expect(extra == Mismatch(message: #"rank 0: got 3 lines, expected 2; got line 2 "DEBUG" matches no expected line"#))
    let missing = judgeCompare("b\n", "a\nb\nc\n", unordered: true)
    #expect(missing?.message == #"rank 0: got 1 line, expected 3; expected line 1 "a" has no match in any order"#)
    #expect(missing?.details == #"rank 0: expected line 3 "c" has no match in any order"#)
  }

  @Test func unorderedTextDifferenceHasNoClosestNumber() {
    let mismatch = judgeCompare("Hello from 1\n", "Hello from rank 1\n", unordered: true)
    #expect(mismatch == Mismatch(
      message: #"rank 0: expected line 1 "Hello from rank 1" has no match in any order"#,
      details: #"rank 0: got line 1 "Hello from 1" matches no expected line"#))
  }

  @Test func unorderedPairsNearestValuesFirst() {
    // In output order, 1.1 would take 1.05 and leave 1.0 without a partner.
    #expect(judgeCompare("x 1.15\nx 1.05\n", "x 1.1\nx 1.0\n", atol: 0.06, unordered: true) == nil)
    #expect(judgeCompare("v 101.0\nv 201.9\n", "v 202.0\nv 100.0\n", rtol: 0.01, unordered: true) == nil)
  }

  @Test func unorderedMatchesIntegerAgainstRealSpelling() {
    #expect(judgeCompare("v 3\nv 2.0\n", "v 2\nv 3.0\n", unordered: true) == nil)
    #expect(judgeCompare("v 3\nv 2.5\n", "v 2\nv 3.0\n", unordered: true) != nil)
  }

  @Test func unorderedNonFinite() {
    #expect(judgeCompare("r nan\nr 1.5\nr -inf\n", "r -Infinity\nr 1.5\nr NaN\n", unordered: true) == nil)
    #expect(judgeCompare("r nan 1.0\nr inf 2.0\n", "r inf 2.0000001\nr nan 1.0000001\n", atol: 1e-6, unordered: true) == nil)
    #expect(judgeCompare("r nan\n", "r inf\n", unordered: true) != nil)
  }

  @Test func unorderedIntegersStillExact() {
    let mismatch = judgeCompare("rank 1 sum 10\nrank 0 sum 5\n", "rank 0 sum 5\nrank 1 sum 11\n", atol: 5, unordered: true)
    #expect(mismatch?.message
      == #"rank 0: expected line 2 "rank 1 sum 11" has no match in any order; closest is line 1, number 2: got 10, expected 11"#)
  }

  /// Guards against quadratic matching: all-pairs took over 30 s here in a debug build.
  @Test func unorderedScalesToThousandsOfLines() {
    let n = 4000
    let expected = (0..<n).map { "rank \($0 % 64): value \(Double($0) * 1.5)" }.joined(separator: "\n")
    let got = (0..<n).reversed().map { "rank \($0 % 64): value \(Double($0) * 1.5 + 1e-9)" }.joined(separator: "\n")
    let start = ContinuousClock.now
    #expect(judgeCompare(got, expected, atol: 1e-6, unordered: true) == nil)
    #expect(ContinuousClock.now - start < .seconds(10))
  }
}
