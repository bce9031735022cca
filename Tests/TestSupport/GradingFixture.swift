import Foundation
import GraderCore

/// A throwaway exercise on disk, graded through the real CLI.
public struct GradingFixture: Sendable {
  public let directory: URL
  public var rubric: URL { directory.appendingPathComponent("rubric.yaml") }
  public var submission: URL { directory.appendingPathComponent("submission") }
  public var junit: URL { directory.appendingPathComponent("r.xml") }
  public var json: URL { directory.appendingPathComponent("r.json") }

  /// A fresh folder with `rubric.yaml`, a `submission/` folder holding `files`, and
  /// `others` (paths relative to the folder, e.g. a baseline's `naive/main.swift`).
  public init(rubric: String, files: [String: String], others: [String: String] = [:]) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("submission"), withIntermediateDirectories: true)
    try rubric.write(to: directory.appendingPathComponent("rubric.yaml"), atomically: true, encoding: .utf8)
    for (name, text) in files {
      try text.write(to: submission.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    for (path, text) in others {
      let url = directory.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
  }

  /// Grades another folder of the fixture (relative path) with the same rubric.
  public func grade(folder: String) throws -> (run: CommandOutput, result: ExerciseResult, schemaErrors: [String]) {
    try grade(submission: directory.appendingPathComponent(folder))
  }

  /// `hpcgrade grade` with JUnit and JSON reports: the CLI's output, the result
  /// read back from the JSON, and what the two schemas say of the JUnit (empty when
  /// both accept it).
  public func grade() throws -> (run: CommandOutput, result: ExerciseResult, schemaErrors: [String]) {
    try grade(submission: submission)
  }

  private func grade(submission: URL) throws -> (run: CommandOutput, result: ExerciseResult, schemaErrors: [String]) {
    let run = try CLI.run([
      "grade", "--rubric", rubric.path, "--submission", submission.path, "--junit", junit.path, "--json", json.path,
    ])
    guard let result = try JSONReport.decode(Data(contentsOf: json)).first else {
      throw CommandError.failed("hpcgrade grade", run.status, run.stdout + run.stderr)
    }
    return (run, result, try JUnitSchemas.validate(file: junit))
  }
}
