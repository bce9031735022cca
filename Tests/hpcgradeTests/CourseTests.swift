import Foundation
import GraderCore
import Testing
import TestSupport

/// The whole course through the real CLI: `hpcgrade validate` grades every reference
/// solution, faulty variant and starter once, writing a report of each; this suite then
/// checks those reports on its own terms. `scripts/test` runs it alone, after the
/// other suites, because several exercises time their programs.
@Suite(.serialized) struct CourseTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let exercises = ["hello-mpi", "send-recv", "blocking-order", "collectives", "array-collectives",
                          "threads-io", "single-core-speed", "benchmark-harness", "diffusion"]

  @Test func listShowsEveryExerciseAndEveryRubricLints() throws {
    let list = try CLI.run(["list"])
    #expect(list.status == 0, "\(list.stderr)")
    for id in Self.exercises { #expect(list.stdout.contains(id), "hpcgrade list lacks \(id)") }
    let lint = try CLI.run(["validate", "--lint-only"])
    #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
  }

  @Test func everySolutionGetsFullMarksAndEveryFaultyVariantItsVerdict() throws {
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: reports) }
    let run = try CLI.run(["validate", "--reports", reports.path])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

    for id in Self.exercises {
      let exercise = Self.root.appendingPathComponent("exercises/\(id)")
      let solution = try result(reports, "\(id).solution")
      #expect(solution.allPassed && solution.score == solution.maxScore && solution.maxScore > 0, "\(id) solution")
      #expect(solution.cases.contains { $0.hidden }, "\(id) has a hidden case")

      let variants = try FileManager.default.contentsOfDirectory(atPath: exercise.appendingPathComponent("faulty").path).sorted()
      #expect(!variants.isEmpty, "\(id) has faulty variants")
      for variant in variants {
        let expected = try String(contentsOf: exercise.appendingPathComponent("faulty/\(variant)/expected.yaml"), encoding: .utf8)
        let verdict = try #require(expected.split(separator: "\n").first { $0.hasPrefix("verdict:") })
          .dropFirst("verdict:".count).trimmingCharacters(in: .whitespaces)
        let graded = try result(reports, "\(id).faulty-\(variant)")
        let first = graded.build.verdict == .passed ? graded.cases.first { !$0.verdict.isPass }?.verdict : graded.build.verdict
        #expect(first?.rawValue == verdict, "\(id) faulty/\(variant): expected \(verdict), got \(String(describing: first))")
        #expect(graded.score < graded.maxScore)
      }
      let starter = try result(reports, "\(id).starter")
      #expect(starter.build.verdict == .passed && !starter.allPassed, "\(id) starter compiles and does not pass")
    }

    let xml = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".xml") }
    #expect(xml.count >= Self.exercises.count * 3)
    for file in xml {
      #expect(try JUnitSchemas.validate(file: reports.appendingPathComponent(file)) == [], "\(file)")
    }
  }

  private func result(_ reports: URL, _ name: String) throws -> ExerciseResult {
    try #require(try JSONReport.decode(Data(contentsOf: reports.appendingPathComponent("\(name).json"))).first)
  }
}
