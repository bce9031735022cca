import ArgumentParser
import Foundation
import GraderCore

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Lint rubrics, check that each reference solution gets full marks, each faulty variant its expected verdict, and each starter compiles without passing.")

  @OptionGroup var common: CommonOptions

  @Argument(help: "Rubric ids or YAML paths (default: every rubric).")
  var rubrics: [String] = []

  @Flag(help: "Only lint the YAML; do not run anything.")
  var lintOnly = false

  @Flag(help: "Grade the reference solutions only, not the faulty variants and starters.")
  var solutionsOnly = false

  @Option(help: "Write a JUnit and a JSON report of every grading into this folder (<id>.<submission>.xml/.json).")
  var reports: String?

  func run() throws {
    let workspace = try common.workspace()
    let loaded = try rubrics.isEmpty ? workspace.allRubrics() : rubrics.map { try workspace.rubric($0) }
    if let reports { try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true) }
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
      let result = try grade(rubric, reference, as: "solution", workspace: workspace)
      print(common.summary(showHidden: true).render(result), terminator: "")
      if !result.allPassed || result.score < result.maxScore { failed.append("\(rubric.id) (solution)") }
      guard !solutionsOnly else { continue }

      for variant in try FaultyVariant.all(for: rubric) {
        let result = try grade(rubric, variant.folder, as: "faulty-\(variant.name)", workspace: workspace)
        let label = "\(rubric.id) faulty/\(variant.name)"
        if let mismatch = variant.mismatch(in: result) {
          print("✗ \(label): \(mismatch)")
          print(common.summary(showHidden: true).render(result), terminator: "")
          failed.append(label)
        } else {
          let where_ = variant.caseName.map { " in \"\($0)\"" } ?? ""
          print("✓ \(label): \(variant.verdict.rawValue)\(where_), as expected (\(format(result.score))/\(format(result.maxScore)))")
        }
      }
      let starter = workspace.defaultSubmission(for: rubric)
      if FileManager.default.fileExists(atPath: starter.path) {
        let result = try grade(rubric, starter, as: "starter", workspace: workspace)
        let label = "\(rubric.id) starter"
        if result.build.verdict != .passed {
          print("✗ \(label): does not compile; a starter must build so students start from working code")
          failed.append(label)
        } else if result.allPassed {
          print("✗ \(label): passes every case; a starter must leave the work to the student")
          failed.append(label)
        } else {
          print("✓ \(label): compiles and leaves work to do (\(format(result.score))/\(format(result.maxScore)))")
        }
      }
    }
    if !failed.isEmpty {
      print("not as expected: \(failed.joined(separator: ", "))")
      throw ExitCode(1)
    }
  }

  /// Grades every case and writes the reports, with hidden details (a validation is for authors).
  private func grade(_ rubric: Rubric, _ folder: URL, as name: String, workspace: Workspace) throws -> ExerciseResult {
    let options = ReportOptions(showHidden: true)
    return try GradeCommand.grade(rubric, submission: folder, workspace: workspace, includeHidden: true) { result in
      guard let reports else { return }
      let base = URL(fileURLWithPath: reports).appendingPathComponent("\(rubric.id).\(name)").path
      try ReportFile.write(JUnitReport.render([result], options: options), to: base + ".xml")
      try ReportFile.write(JSONReport.render([result], options: options), to: base + ".json")
    }
  }

  private func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
  }
}
