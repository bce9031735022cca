import ArgumentParser
import Foundation
import GraderCore

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check your solution of an exercise on its visible cases.",
    discussion: "Without a path, checks exercises/<exercise>/starter, where you edit the starter.")

  @OptionGroup var common: CommonOptions

  @Argument(help: "The exercise id, e.g. hello-mpi.")
  var exercise: String

  @Argument(help: "The folder holding your files.")
  var path: String?

  func run() throws {
    let workspace = try common.workspace()
    let rubric = try workspace.rubric(exercise)
    let submission = path.map { URL(fileURLWithPath: $0) } ?? workspace.defaultSubmission(for: rubric)
    let result = try GradeCommand.grade(rubric, submission: submission, workspace: workspace, includeHidden: false)
    print(common.summary(showHidden: false).render(result), terminator: "")
    if !result.allPassed { throw ExitCode(1) }
  }
}
