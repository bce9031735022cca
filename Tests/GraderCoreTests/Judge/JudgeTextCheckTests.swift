import Foundation
import Testing

@testable import GraderCore

@Suite struct JudgeTextCheckTests {
  @Test func contains() {
    #expect(TextCheck.contains("Hello", in: "x\nHello, world\n", label: "rank 0") == nil)
    #expect(TextCheck.contains("Hello", in: "hello\n", label: "rank 0")
      == Mismatch(message: #"rank 0: output does not contain "Hello""#))
    #expect(TextCheck.contains("a\nb", in: "a\r\nb\r\n", label: "rank 0") == nil, "CRLF reads as LF")
    #expect(TextCheck.contains("", in: "", label: "rank 0") == nil)
  }

  @Test func notContainsNamesTheLine() {
    let output = "a\nb\nc\nTODO: x\nTODO again, TODO\nok\nTODO"
    let mismatch = TextCheck.notContains("TODO", in: output, label: "merged output")
    #expect(mismatch == Mismatch(
      message: #"merged output: output contains forbidden text "TODO" on line 4"#,
      details: "merged output: also on line 5\nmerged output: also on line 7"))
    #expect(TextCheck.notContains("TODO", in: "todo\n", label: "rank 0") == nil)
    #expect(TextCheck.notContains("", in: "anything", label: "rank 0") == nil)
  }

  @Test func notContainsCountsCRLFLinesOnce() {
    #expect(TextCheck.notContains("bad", in: "a\r\nb\r\nbad\r\n", label: "rank 1")?.message
      == #"rank 1: output contains forbidden text "bad" on line 3"#)
  }

  @Test func regexAnchorsMatchEveryLine() throws {
    let pattern = #"^Sum = \d+$"#
    #expect(try TextCheck.matches(regex: pattern, in: "start\nSum = 42\nend\n", label: "rank 0") == nil)
    #expect(try TextCheck.matches(regex: pattern, in: "start\r\nSum = 42\r\nend\r\n", label: "rank 0") == nil)
    #expect(try TextCheck.matches(regex: pattern, in: "Sum = 42 extra\n", label: "rank 0")
      == Mismatch(message: #"rank 0: output does not match /^Sum = \d+$/"#))
  }

  @Test(arguments: ["(abc", "a{2,1}", "*x", "[z-a]"])
  func invalidRegexThrowsAnActionableError(pattern: String) throws {
    let error = try #require(throws: JudgeError.self) {
      try TextCheck.matches(regex: pattern, in: "anything", label: "rank 0")
    }
    guard case .invalidRegex(let reported, let reason) = error else { return }
    #expect(reported == pattern)
    #expect(!reason.isEmpty)
    #expect(error.description.hasPrefix("invalid regular expression /\(pattern)/ in the rubric: \(reason)"))
    #expect(error.localizedDescription == error.description)
    #expect(throws: JudgeError.self) { try TextCheck.validate(regex: pattern) }
  }

  @Test func invalidRegexReasonComesFromTheParser() {
    #expect(throws: JudgeError.invalidRegex(pattern: "(abc", reason: "expected ')'")) {
      try TextCheck.validate(regex: "(abc")
    }
  }

  @Test func validRegexValidates() throws {
    try TextCheck.validate(regex: #"\d+\.\d*"#)
  }
}
