import Testing

@testable import GraderCore

/// `ignore:` on an output check: lines that differ on every run (a harness's timings)
/// are left out on both sides, and nothing else is.
@Suite struct JudgeIgnoreTests {
  static func outcome(_ stdout: String) -> RunOutcome {
    RunOutcome(ending: .exited(status: 0), seconds: 0, outputs: [RankOutput(rank: 0, stdout: stdout, stderr: "")],
               launcherMessages: "", strays: 0)
  }

  static let reference = [RankOutput(rank: 0, stdout: "sum: 10\nsum time: 0.5 s\nadd: 3\n", stderr: "")]

  @Test func ignoredLinesMayDifferOrBeMissing() {
    let check = RubricCheck(.output(.reference), ignore: " time: ", points: 1)
    for got in ["sum: 10\nsum time: 0.01 s\nadd: 3\n", "sum: 10\nadd: 3\n"] {
      #expect(CaseJudge.check(in: check, outcome: Self.outcome(got), reference: Self.reference).verdict == .passed)
    }
  }

  @Test func everyOtherLineIsStillCompared() {
    let check = RubricCheck(.output(.reference), ignore: " time: ", points: 1)
    let result = CaseJudge.check(in: check, outcome: Self.outcome("sum: 11\nsum time: 0.5 s\nadd: 3\n"), reference: Self.reference)
    #expect(result.verdict == .wrongAnswer)
    #expect(result.message.contains("got 11, expected 10"))
    let strict = RubricCheck(.output(.reference), points: 1)
    #expect(CaseJudge.check(in: strict, outcome: Self.outcome("sum: 10\nsum time: 0.01 s\nadd: 3\n"), reference: Self.reference)
      .verdict == .wrongAnswer, "without ignore the timing line counts")
  }
}
