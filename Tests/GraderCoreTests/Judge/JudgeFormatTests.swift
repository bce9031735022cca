import Testing

@testable import GraderCore

@Suite struct JudgeFormatTests {
  @Test(arguments: [
    (7.35e-6, "7.3e-6"), (1e-8, "1e-8"), (0.05, "0.05"), (0.5, "0.5"), (0, "0"), (100, "100"),
    (1234, "1200"), (999_999, "1000000"), (1e6, "1e6"), (2.5e20, "2.5e20"), (Double.infinity, "inf"),
  ])
  func compactNumbers(value: Double, text: String) {
    #expect(JudgeFormat.compact(value) == text)
  }

  @Test func compactPairAddsDigitsUntilTheyDiffer() {
    #expect(JudgeFormat.compactPair(7.35e-6, 1e-8) == ("7.3e-6", "1e-8"))
    #expect(JudgeFormat.compactPair(1.04e-8, 1e-8) == ("1.04e-8", "1e-8"))
    #expect(JudgeFormat.compactPair(1.00001, 1) == ("1.00001", "1"))
  }
}
