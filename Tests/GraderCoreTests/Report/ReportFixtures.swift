import Foundation
import Testing

@testable import GraderCore
import TestSupport

/// Hand-made results covering each way a grading can end, and the real `xmllint` check
/// against both JUnit schemas that `scripts/fetch-schemas` downloads.
enum ReportFixtures {
  /// Whole seconds: the JSON report writes dates without fractions.
  static let when = Date(timeIntervalSince1970: 1_764_000_000)

  static func exercise(_ name: String, build: BuildResult = okBuild, cases: [CaseResult]) -> ExerciseResult {
    ExerciseResult(
      exercise: name, title: "Title of \(name)", submission: "alice", build: build, cases: cases,
      timestamp: when, hostname: "node1", toolchain: "Swift 6.3.1", mpiVersion: "Open MPI 4.1.4")
  }

  static let okBuild = BuildResult(verdict: .passed, seconds: 0.47, cached: false, diagnostics: [], log: "")

  static func run(
    _ name: String, verdict: Verdict = .passed, checks: [CheckResult], hidden: Bool = false,
    explanation: String = "", outputs: [RankOutput]? = nil
  ) -> CaseResult {
    CaseResult(
      name: name, ranks: 2, threads: 1, hidden: hidden, verdict: verdict, checks: checks, seconds: 1.25,
      exitStatus: 0, explanation: explanation,
      outputs: outputs ?? [
        RankOutput(rank: 0, stdout: "sum = 3\n", stderr: "", affinity: "0"),
        RankOutput(rank: 1, stdout: "", stderr: "warning: slow\n", affinity: "1"),
      ],
      reproduce: "hpcgrade run \(name) --np 2")
  }

  static let passed = exercise("sum", cases: [
    run("small", checks: [
      CheckResult(name: "value", verdict: .passed, points: 2, maxPoints: 2),
      CheckResult(name: "format", verdict: .passed, points: 1, maxPoints: 1),
    ])
  ])

  static let wrongAnswer = exercise("allreduce", cases: [
    run("small", checks: [CheckResult(name: "value", verdict: .passed, points: 1, maxPoints: 1)]),
    run("large", verdict: .wrongAnswer, checks: [
      CheckResult(name: "value", verdict: .wrongAnswer, points: 0, maxPoints: 3,
                  message: "rank 0: expected 5050, got 5000",
                  details: "line 1: expected 5050\n        got 5000\nline 2: missing"),
      CheckResult(name: "runtime", verdict: .tooSlow, points: 0.5, maxPoints: 1, message: "2.5x the reference"),
    ]),
  ])

  static let compileError = exercise(
    "ring",
    build: BuildResult(
      verdict: .compileError, seconds: 0.31, cached: false,
      diagnostics: [Diagnostic(file: "main.swift", line: 3, column: 5, severity: "error", message: "cannot find 'x' in scope")],
      log: "main.swift:3:5: error: cannot find 'x' in scope\n    x += 1\n    ^\n"),
    cases: [
      run("two-ranks", verdict: .skipped, checks: [CheckResult(name: "order", verdict: .skipped, points: 0, maxPoints: 2,
                                                               message: "not run: the build failed")], outputs: []),
      run("four-ranks", verdict: .skipped, checks: [CheckResult(name: "order", verdict: .skipped, points: 0, maxPoints: 2)],
          outputs: []),
    ])

  static let graderError = exercise("bcast", cases: [
    run("small", verdict: .graderError, checks: [
      CheckResult(name: "value", verdict: .graderError, points: 0, maxPoints: 2, message: "mpirun not found in PATH")
    ], outputs: [])
  ])

  /// A crash that its only check, skipped, does not show: the report adds a `/ run` row.
  static let crash = exercise("scatter", cases: [
    run("small", verdict: .crash, checks: [CheckResult(name: "value", verdict: .skipped, points: 0, maxPoints: 2)],
        explanation: "rank 1 was killed by SIGSEGV")
  ])

  static let hidden = exercise("gather", cases: [
    run("visible", checks: [CheckResult(name: "value", verdict: .passed, points: 1, maxPoints: 1)]),
    run("secret", verdict: .wrongAnswer, checks: [
      CheckResult(name: "value", verdict: .wrongAnswer, points: 0, maxPoints: 4,
                  message: "expected SECRET-ANSWER 42", details: "input was SECRET-INPUT")
    ], hidden: true, explanation: "SECRET-EXPLANATION",
       outputs: [RankOutput(rank: 0, stdout: "SECRET-OUTPUT\n", stderr: "", affinity: "0-1")]),
  ])

  static let all = [passed, wrongAnswer, compileError, graderError, crash, hidden]

  /// A result whose only case printed `stdout` on rank 0.
  static func printing(_ stdout: String, stderr: String = "") -> ExerciseResult {
    exercise("hostile", cases: [
      run("noisy", verdict: .wrongAnswer, checks: [
        CheckResult(name: "value", verdict: .wrongAnswer, points: 0, maxPoints: 1,
                    message: "got \(stdout.prefix(40))", details: String(stdout.prefix(200)))
      ], outputs: [RankOutput(rank: 0, stdout: stdout, stderr: stderr, affinity: "0")])
    ])
  }

  // MARK: - Files and schemas

  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Writes `xml` to a temporary file and returns xmllint's complaints per schema (empty
  /// when both accept it), with the file for further checks.
  static func validate(_ xml: String) throws -> (errors: [String], file: URL) {
    let file = try temporaryDirectory().appendingPathComponent("report.xml")
    try ReportFile.write(xml, to: file.path)
    return (try JUnitSchemas.validate(file: file), file)
  }
}
