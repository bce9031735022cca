import ArgumentParser
import Foundation
import GraderCore

struct GradeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grade", abstract: "Grade a submission on every case, hidden ones included (for CI and TAs).")

  @OptionGroup var common: CommonOptions

  @Option(help: "The rubric: an exercise id or a YAML path.")
  var rubric: String

  @Option(help: "The folder holding the submission's files.")
  var submission: String

  @Option(help: "Write a JUnit XML report here (rewritten after every case).")
  var junit: String?

  @Option(help: "Write a JSON result here (rewritten after every case).")
  var json: String?

  @Flag(help: "Show hidden cases' details in the reports (for TAs; students see verdicts only).")
  var revealHidden = false

  func run() throws {
    let workspace = try common.workspace()
    let rubric = try workspace.rubric(rubric)
    let options = ReportOptions(showHidden: revealHidden)
    let result = try Self.grade(rubric, submission: URL(fileURLWithPath: submission), workspace: workspace, includeHidden: true) {
      try write($0, options: options)
    }
    print(common.summary(showHidden: revealHidden).render(result), terminator: "")
    if !result.allPassed { throw ExitCode(1) }
  }

  func write(_ result: ExerciseResult, options: ReportOptions) throws {
    if let junit { try ReportFile.write(JUnitReport.render([result], options: options), to: junit) }
    if let json { try ReportFile.write(JSONReport.render([result], options: options), to: json) }
  }

  nonisolated(unsafe) private static var warned = false

  /// What the machine cannot guarantee, said once before the first grading.
  private static func warnOnce() {
    guard !warned else { return }
    warned = true
    if let warning = LaunchPlan.Host.current.processLimits.warning {
      FileHandle.standardError.write(Data("hpcgrade: warning: \(warning)\n".utf8))
    }
  }

  /// Grades with reports written after every step; a report that cannot be
  /// written stops the grading rather than losing results silently.
  static func grade(
    _ rubric: Rubric, submission: URL, workspace: Workspace, includeHidden: Bool,
    progress: (ExerciseResult) throws -> Void = { _ in }
  ) throws -> ExerciseResult {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: submission.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError(GradingError.submissionMissing(submission.path).description)
    }
    warnOnce()
    var failure: Error?
    let result = try workspace.grader().grade(rubric, submission: submission, includeHidden: includeHidden) {
      guard failure == nil else { return }
      do { try progress($0) } catch { failure = error }
    }
    if let failure { throw failure }
    try progress(result)
    return result
  }
}
