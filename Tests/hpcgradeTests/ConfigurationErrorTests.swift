import Foundation
import Testing
import TestSupport

/// Bad rubrics and bad arguments: a message that says what and where, exit 2.
@Suite struct ConfigurationErrorTests {
  func rubric(_ yaml: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("broken.yaml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  @Test func malformedYAMLNamesTheLine() throws {
    let file = try rubric("id: x\ntitle: [unclosed\nsources: [main.swift]\n")
    let run = try CLI.run(["grade", "--rubric", file.path, "--submission", file.deletingLastPathComponent().appendingPathComponent("sub").path])
    #expect(run.status == 2)
    #expect(run.stderr.contains("broken.yaml:"), "\(run.stderr)")
  }

  @Test func unknownKeySuggestsTheRightOne() throws {
    let file = try rubric("""
      id: x
      title: X
      sources: [main.swift]
      cases:
        - name: one
          rank: 2
          checks: [{exit: 0}]
      """)
    let run = try CLI.run(["validate", "--lint-only", file.path])
    #expect(run.status == 2)
    #expect(run.stderr.contains("broken.yaml:6:5: cases[0]: unknown key \"rank\" (did you mean \"ranks\"?)"), "\(run.stderr)")
  }

  @Test func missingSubmissionFolderIsAUsageError() throws {
    let run = try CLI.run(["grade", "--rubric", "hello-mpi", "--submission", "/nonexistent/folder"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("no submission at /nonexistent/folder"))
  }

  @Test func unknownExerciseListsTheKnownOnes() throws {
    let run = try CLI.run(["check", "no-such-exercise"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("hello-mpi"))
  }

  @Test func unknownOptionIsAUsageError() throws {
    let run = try CLI.run(["grade", "--bogus"])
    #expect(run.status == 2)
  }
}
