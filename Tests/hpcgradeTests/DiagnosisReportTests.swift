import Foundation
import GraderCore
import Testing
import TestSupport

/// Deadlocks and timeouts as a student, a CI job and a TA see them: verdict and
/// explanation in the terminal, the JUnit failure and the JSON, with the graph.
@Suite struct DiagnosisReportTests {
  static let exchange = """
    import MPI
    let comm = MPI.world
    let n = Int(CommandLine.arguments[1])!
    let mine = [Double](repeating: Double(comm.rank), count: n)
    var theirs = [Double](repeating: 0, count: n)
    comm.send(buffer: mine, to: 1 - comm.rank)
    comm.recv(into: &theirs, from: 1 - comm.rank)
    print("got \\(theirs[0])")
    """

  static func exercise(_ cases: String, program: String) throws -> GradingFixture {
    try GradingFixture(rubric: """
      id: diagnosis
      title: Diagnosis
      sources: [main.swift]
      timeout: 30
      cases:
      \(cases)
      """, files: ["main.swift": program])
  }

  @Test func aDeadlockIsExplainedInEveryReport() throws {
    let fixture = try Self.exercise("""
        - name: large exchange
          ranks: 2
          args: ["1000000"]
          checks: [{contains: "got"}]
      """, program: Self.exchange)
    let start = Date()
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(Date().timeIntervalSince(start) < 15, "stopped early, not at the 30 s timeout")
    let graded = try #require(result.cases.first)
    #expect(graded.verdict == .deadlock)
    let expected = "deadlock: rank 0 in MPI_Send(to 1, tag 0, 8 MB) at main.swift:6 waits for rank 1; rank 1 in MPI_Send(to 0, tag 0, 8 MB) at main.swift:6 waits for rank 0"
    #expect(run.stdout.contains(expected))
    #expect(graded.checks.first?.message == expected)
    #expect(graded.graph?.edges.count == 2)
    let xml = try String(contentsOf: fixture.junit, encoding: .utf8)
    #expect(xml.contains("type=\"deadlock\""))
    #expect(xml.contains("rank 1 in MPI_Send(to 0, tag 0, 8 MB) at main.swift:6 waits for rank 0"))
  }

  @Test func strictSendsExposeCodeThatReliesOnBuffering() throws {
    let fixture = try Self.exercise("""
        - name: small exchange
          ranks: 2
          args: ["2"]
          checks: [{contains: "got"}]
        - name: small exchange, strict
          ranks: 2
          args: ["2"]
          strict_sends: true
          checks: [{contains: "got"}]
      """, program: Self.exchange)
    let (_, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(result.cases.map(\.verdict) == [.passed, .deadlock])
    #expect(result.cases[1].checks.first?.message.contains("relies on MPI buffering") == true)
  }

  @Test func aTimeoutSaysWhatEachRankWasDoing() throws {
    let fixture = try Self.exercise("""
        - name: slow
          ranks: 3
          timeout: 4
          checks: [{exit: 0}]
      """, program: """
      import MPI
      import Foundation
      let comm = MPI.world
      switch comm.rank {
      case 0: var x = [0.0]; comm.recv(into: &x, from: 1)
      case 1: let start = Date(); var spin = 0; while Date().timeIntervalSince(start) < 100 { spin &+= 1 }
      default: sleep(100)
      }
      """)
    let (_, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    let graded = try #require(result.cases.first)
    #expect(graded.verdict == .timeout)
    let text = graded.checks.first?.message ?? ""
    #expect(text.contains("rank 0: in MPI_Recv(from 1, any tag) at main.swift:5 since"), "\(text)")
    #expect(text.contains("rank 1: computing (outside MPI, CPU busy)"), "\(text)")
    #expect(text.contains("rank 2: sleeping (outside MPI, idle)"), "\(text)")
  }
}
