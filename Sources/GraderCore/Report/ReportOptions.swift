/// Choices shared by the JUnit and JSON reports.
public struct ReportOptions: Sendable {
  /// The most bytes of one output stream (one rank's stdout, a build log) kept in a report.
  public var outputLimit: Int
  /// Whether hidden cases show their messages, details, output and reproduce command.
  /// Off by default: a report is often published to the student (CI artifacts), and a
  /// leaked hidden case is worse than a TA passing `true` for the gradebook.
  public var showHidden: Bool

  public init(outputLimit: Int = XMLText.defaultLimit, showHidden: Bool = false) {
    self.outputLimit = outputLimit
    self.showHidden = showHidden
  }

  /// What replaces the evidence of a hidden case when `showHidden` is off.
  public static let withheld = "This is a hidden case: its details are withheld."

  /// `result` as a report may show it: hidden cases stripped of their evidence (verdicts,
  /// points, ranks and timings stay, since they make up the score).
  public func visible(_ result: ExerciseResult) -> ExerciseResult {
    guard !showHidden else { return result }
    var result = result
    for index in result.cases.indices where result.cases[index].hidden {
      var c = result.cases[index]
      c.explanation = ""
      c.reproduce = ""
      c.outputs = c.outputs.map { RankOutput(rank: $0.rank, stdout: "", stderr: "", affinity: $0.affinity) }
      c.checks = c.checks.map { check in
        var check = check
        check.message = check.verdict.isPass ? "" : ReportOptions.withheld
        check.details = ""
        check.races = check.races.map { _ in [] }  // where the race is would tell what the case runs
        return check
      }
      result.cases[index] = c
    }
    return result
  }
}
