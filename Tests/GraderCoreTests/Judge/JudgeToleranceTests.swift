import Foundation
import Testing
import Yams

@testable import GraderCore

@Suite struct JudgeToleranceTests {
  @Test func defaultsAreExact() {
    let t = Tolerance()
    #expect(t == Tolerance(atol: 0, rtol: 0))
    #expect(t.accepts(got: 1.5, expected: 1.5))
    #expect(!t.accepts(got: 1.0.nextUp, expected: 1.0), "a zero tolerance gets no rounding slack")
  }

  @Test func exactlyAtAtolPassesJustPastFails() {
    let t = Tolerance(atol: 0.5)
    #expect(t.accepts(got: 1.5, expected: 1.0))
    #expect(t.accepts(got: 0.5, expected: 1.0))
    #expect(!t.accepts(got: 1.5000001, expected: 1.0))
    #expect(!t.accepts(got: 0.4999999, expected: 1.0))
  }

  @Test func decimalToleranceBehavesAsWritten() {
    // 1.1 - 1.0 is 0.10000000000000009 in doubles: still "exactly at tol" to a human.
    let t = Tolerance(atol: 0.1)
    #expect(t.accepts(got: 1.1, expected: 1.0))
    #expect(t.accepts(got: 0.9, expected: 1.0))
    #expect(!t.accepts(got: 1.1000001, expected: 1.0))
  }

  @Test func rtolScalesWithExpected() {
    let t = Tolerance(rtol: 0.01)
    #expect(t.accepts(got: 101, expected: 100))
    #expect(!t.accepts(got: 101.01, expected: 100))
    #expect(t.accepts(got: -1010, expected: -1000), "uses |expected|")
    #expect(!t.accepts(got: 1e-12, expected: 0), "rtol alone is exact at zero")
    #expect(t.allowance(for: -200) == 2)
  }

  @Test func largerOfAtolAndRtolWins() {
    let t = Tolerance(atol: 1e-6, rtol: 1e-3)
    #expect(t.allowance(for: 0) == 1e-6)
    #expect(t.allowance(for: 1000) == 1)
    #expect(t.accepts(got: 9e-7, expected: 0))
    #expect(!t.accepts(got: 2e-6, expected: 0))
    #expect(t.accepts(got: 1000.9, expected: 1000))
    #expect(!t.accepts(got: 1001.1, expected: 1000))
  }

  @Test func nanAndInfinityMatchOnlyThemselves() {
    let loose = Tolerance(atol: .greatestFiniteMagnitude)
    #expect(loose.accepts(got: .nan, expected: .nan))
    #expect(loose.accepts(got: -Double.nan, expected: .nan))
    #expect(!loose.accepts(got: .nan, expected: 0))
    #expect(!loose.accepts(got: 0, expected: .nan))
    #expect(loose.accepts(got: .infinity, expected: .infinity))
    #expect(loose.accepts(got: -.infinity, expected: -.infinity))
    #expect(!loose.accepts(got: .infinity, expected: -.infinity))
    #expect(!loose.accepts(got: .infinity, expected: 1e308))
    #expect(!loose.accepts(got: 1e308, expected: .infinity))
    #expect(!loose.accepts(got: .nan, expected: .infinity))
  }

  @Test func decodesWithMissingKeysAsZero() throws {
    let t = try YAMLDecoder().decode(Tolerance.self, from: "atol: 1e-6\n")
    #expect(t == Tolerance(atol: 1e-6, rtol: 0))
    let json = try JSONEncoder().encode(Tolerance(atol: 0.5, rtol: 0.25))
    #expect(try JSONDecoder().decode(Tolerance.self, from: json) == Tolerance(atol: 0.5, rtol: 0.25))
  }

  @Test(arguments: ["atol: -1\n", "rtol: -0.5\n", "atol: .nan\n", "rtol: .inf\n"])
  func rejectsNegativeOrNonFinite(yaml: String) {
    #expect(throws: DecodingError.self) { try YAMLDecoder().decode(Tolerance.self, from: yaml) }
  }
}
