import Foundation
import GraderCore
import Testing
import TestSupport

/// The hello-mpi exercise end to end: reference, faulty variant, starter.
@Suite struct HelloMPITests {
  func grade(_ variant: String) throws -> (CommandOutput, ExerciseResult) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hello-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let junit = dir.appendingPathComponent("report.xml")
    let json = dir.appendingPathComponent("report.json")
    let run = try CLI.run([
      "grade", "--rubric", "hello-mpi", "--submission", "exercises/hello-mpi/\(variant)",
      "--junit", junit.path, "--json", json.path,
    ])
    #expect(try JUnitSchemas.validate(file: junit) == [])
    return (run, try #require(try JSONReport.decode(Data(contentsOf: json)).first))
  }

  @Test func referenceGetsFullMarks() throws {
    let (run, result) = try grade("solution")
    #expect(run.status == 0, "\(run.stdout)")
    #expect(result.score == result.maxScore && result.maxScore == 9)
    #expect(result.cases.map(\.ranks) == [1, 2, 3, 4, 3])
    #expect(result.cases.allSatisfy { c in c.outputs.count == c.ranks && c.outputs.allSatisfy { !$0.affinity.isEmpty } })
  }

  @Test func faultyVariantIsAWrongAnswerThatSaysWhere() throws {
    let (run, result) = try grade("faulty/everyone-speaks")
    #expect(run.status == 1)
    #expect(result.cases[0].verdict == .passed)  // one rank: rank 0 may speak
    #expect(result.cases[1].verdict == .wrongAnswer)
    #expect(run.stdout.contains("rank 1: got 2 lines, expected 1; first extra is line 2: \"Rank 0 speaking for all 2 ranks\""))
    #expect(run.stdout.contains("rerun: "))
  }

  @Test func starterCompilesButDoesNotPass() throws {
    let run = try CLI.run(["check", "hello-mpi"])
    #expect(run.status == 1)
    #expect(run.stdout.contains("✓ build"))
    #expect(!run.stdout.contains("(hidden)"))  // a student's check runs visible cases only
  }

  @Test func listShowsCasesAndPoints() throws {
    let run = try CLI.run(["list"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("hello-mpi · Hello from every rank · 9 points"))
    #expect(run.stdout.contains("hello (np=4)  [4 ranks, 1 thread]  2 pt"))
  }

  /// The whole course is validated by CourseTests, alone; this exercise times nothing.
  @Test func validatePassesWithEveryFaultyVariantCaught() throws {
    let run = try CLI.run(["validate", "hello-mpi"])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.contains("✓ hello-mpi faulty/everyone-speaks: wrong-answer in \"hello\", as expected"))
    #expect(run.stdout.contains("✓ hello-mpi faulty/squares-wrong: wrong-answer in \"hello\", as expected"))
    #expect(run.stdout.contains("✓ hello-mpi starter: compiles and leaves work to do"))
  }
}
