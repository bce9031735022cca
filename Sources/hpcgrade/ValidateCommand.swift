import ArgumentParser
import Foundation
import GraderCore

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Lint rubrics and check that each reference solution gets full marks.")

  @OptionGroup var common: CommonOptions

  @Argument(help: "Rubric ids or YAML paths (default: every rubric).")
  var rubrics: [String] = []

  @Flag(help: "Only lint the YAML; do not run the reference solutions.")
  var lintOnly = false

  func run() throws {
    let workspace = try common.workspace()
    let loaded = try rubrics.isEmpty ? workspace.allRubrics() : rubrics.map { try workspace.rubric($0) }
    var failed: [String] = []
    for rubric in loaded {
      guard !lintOnly else {
        print("✓ \(rubric.id): rubric is valid")
        continue
      }
      guard let reference = rubric.reference else {
        print("✗ \(rubric.id): no reference solution to validate against")
        failed.append(rubric.id)
        continue
      }
      let result = try GradeCommand.grade(rubric, submission: reference, workspace: workspace, includeHidden: true)
      print(common.summary(showHidden: true).render(result), terminator: "")
      if !result.allPassed || result.score < result.maxScore { failed.append(rubric.id) }
    }
    if !failed.isEmpty {
      print("reference solutions without full marks: \(failed.joined(separator: ", "))")
      throw ExitCode(1)
    }
  }
}
