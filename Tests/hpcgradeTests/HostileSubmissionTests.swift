import Foundation
import GraderCore
import Testing
import TestSupport

/// Submissions that misbehave, graded through the real CLI: each gets its verdict,
/// a JUnit report both schemas accept, and leaves no process behind.
@Suite struct HostileSubmissionTests {
  static let programs: [String: String] = [
    "segfault": "if comm.rank == 1 { UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1 }",
    "exit1": "if comm.rank == 1 { exit(1) }",
    "abort": "if comm.rank == 0 { MPI.abort(code: 4) }",
    "spin": "var x = 0; while true { x &+= 1 }",
    "sleep": "while true { sleep(100) }",
    "ignore-term": "signal(SIGTERM, SIG_IGN); while true { sleep(100) }",
    "flood": """
      let line = String(repeating: "x", count: 1023) + "\\n"
      for _ in 0..<(100 * 1024) { fputs(line, stdout) }
      """,
    "escapes": """
      print("\\u{1B}[2J\\u{1B}[31mred\\u{1B}[0m \\u{0}nul ]]> <tag> &amp;")
      fflush(stdout)
      FileHandle.standardOutput.write(Data([0xFF, 0xFE, 0x41, 0x0A]))
      """,
    "daemon": """
      if comm.rank == 0, fork() == 0 {
        setsid()
        if fork() == 0 { while true { sleep(100) } }
        exit(0)
      }
      """,
  ]

  static let expected: [(String, Verdict, String)] = [
    ("segfault", .crash, "rank 1 was killed by signal 11 (Segmentation fault)"),
    ("exit1", .crash, "exited with status 1"),
    ("abort", .crash, "exited with status 4"),
    ("spin", .timeout, "did not finish within 3 s"),
    ("sleep", .timeout, "did not finish within 3 s"),
    ("ignore-term", .timeout, "did not finish within 3 s"),
    ("flood", .wrongAnswer, "output does not contain \"done\""),
    ("escapes", .passed, ""),
    ("daemon", .passed, ""),
  ]

  /// A two-rank exercise whose program runs `body` between two prints; `tag`
  /// marks its processes so the test can look for survivors.
  static func exercise(body: String, tag: String, timeout: Int = 3, ranks: Int = 2) throws -> GradingFixture {
    try GradingFixture(
      rubric: """
        id: hostile
        title: Hostile
        sources: [main.swift]
        cases:
          - name: two ranks
            ranks: \(ranks)
            timeout: \(timeout)
            args: [\(tag)]
            checks:
              - exit: 0
              - contains: "done"
                rank: 0
        """,
      files: [
        "main.swift": """
        import MPI
        import Foundation
        let comm = MPI.world
        print("rank \\(comm.rank) starting")
        fflush(stdout)
        \(body)
        comm.barrier()
        print("rank \\(comm.rank) done")
        """
      ])
  }

  @Test(arguments: expected)
  func hostileProgramGetsItsVerdict(mode: String, verdict: Verdict, message: String) throws {
    let tag = "\(mode)-\(UUID().uuidString)"
    // Writing 100 MB takes a few seconds on a loaded machine.
    let fixture = try Self.exercise(body: Self.programs[mode]!, tag: tag, timeout: mode == "flood" ? 60 : 3)
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(run.status == (verdict == .passed ? 0 : 1), "\(run.stdout)\(run.stderr)")
    #expect(schemaErrors == [])
    let graded = try #require(result.cases.first)
    #expect(graded.verdict == verdict)
    let text = graded.checks.map(\.message).joined(separator: "\n")
    #expect(message.isEmpty || text.contains(message), "\(text)")
    if mode == "daemon" { #expect(graded.explanation.contains("kept the job open"), "\(graded.explanation)") }
    #expect(CLI.processes(runningFrom: tag) == [])
    // Reports stay small whatever the program printed, and escapes never reach them.
    let xml = try String(contentsOf: fixture.junit, encoding: .utf8)
    #expect(xml.utf8.count < 512 << 10)
    #expect(!xml.contains("\u{1B}"))
    #expect(!run.stdout.contains("\u{1B}"))
  }

  @Test func compileErrorSkipsTheCasesAndNamesTheLine() throws {
    let fixture = try Self.exercise(body: "let x: Int = \"text\"", tag: "compile-\(UUID().uuidString)")
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(run.status == 1)
    #expect(schemaErrors == [])
    #expect(result.build.verdict == .compileError)
    #expect(result.build.diagnostics.contains { $0.file == "main.swift" && $0.line == 6 && $0.severity == "error" })
    #expect(result.cases.allSatisfy { $0.verdict == .skipped })
    #expect(run.stdout.contains("main.swift:6:"))
  }

  @Test func missingSubmissionFileIsACompileErrorThatSaysSo() throws {
    let fixture = try Self.exercise(body: "", tag: "missing-\(UUID().uuidString)")
    try FileManager.default.removeItem(at: fixture.submission.appendingPathComponent("main.swift"))
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(run.status == 1)
    #expect(run.stdout.contains("the submission has no main.swift"))
    #expect(result.build.verdict == .compileError)
    #expect(schemaErrors == [])
  }
}
