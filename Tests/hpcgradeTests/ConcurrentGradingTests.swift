import Foundation
import GraderCore
import Testing
import TestSupport

/// Gradings at the same moment as programs that exhaust what a run may have.
/// `scripts/test` runs this suite on its own: the load it makes on purpose (two
/// thousand busy processes, 8 GiB touched) is not to be dropped on other tests.
@Suite struct ConcurrentGradingTests {
  /// Programs that exhaust what a run may have: processes, threads, memory (with
  /// the ranks and timeout each runs with, and its verdict). The hog's timeout
  /// leaves it time to fill the 8 GiB its address space may hold.
  static let exhausting: [(String, String, Int, Int, Verdict)] = [
    ("fork-bomb", "while true { _ = fork() }", 2, 3, .timeout),
    ("thread-bomb", """
      while true {
        var thread = pthread_t()
        _ = pthread_create(&thread, nil, { _ in sleep(100); return nil }, nil)
      }
      """, 2, 3, .timeout),
    ("memory-hog", """
      var chunks: [[UInt8]] = []
      while true { chunks.append([UInt8](repeating: 1, count: 256 << 20)) }
      """, 1, 60, .crash),
  ]

  /// A run's limits are its own: while a fork bomb, a thread bomb and a memory hog
  /// are graded, three gradings of a correct program running at the same moment
  /// still get full marks (with one process limit per user, they would "crash"
  /// when mpirun cannot start their ranks).
  @Test func exhaustingProgramsDoNotFailOtherGradingsRunningAtTheSameMoment() throws {
    let tag = "exhausting-\(UUID().uuidString)"
    let fixtures = try Self.exhausting.map { mode, body, ranks, timeout, _ in
      try HostileSubmissionTests.exercise(body: body, tag: "\(mode)-\(tag)", timeout: timeout, ranks: ranks)
    }
    let reference = MPIPrograms.packageRoot.appendingPathComponent("exercises/hello-mpi/solution").path
    let hostile: [@Sendable () throws -> ExerciseResult] = fixtures.map { fixture in { try fixture.grade().result } }
    let references: [@Sendable () throws -> ExerciseResult] = (0..<3).map { index in
      {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(tag)-\(index).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let run = try CLI.run(["grade", "--rubric", "hello-mpi", "--submission", reference, "--json", json.path])
        guard let result = try JSONReport.decode(Data(contentsOf: json)).first, run.status == 0 else {
          throw CommandError.failed("hpcgrade grade", run.status, run.stdout + run.stderr)
        }
        return result
      }
    }
    let results = atTheSameMoment(hostile + references)
    for result in results.suffix(3) {
      let result = try result.get()
      #expect(result.score == result.maxScore, "\(result.cases.map { "\($0.name): \($0.verdict) \($0.explanation)" })")
    }
    for (index, (mode, _, _, _, verdict)) in Self.exhausting.enumerated() {
      let graded = try #require(try results[index].get().cases.first)
      #expect(graded.verdict == verdict, "\(mode): \(graded.explanation)")
    }
    #expect(CLI.processes(runningFrom: tag) == [])
  }

}
