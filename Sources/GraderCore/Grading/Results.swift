import Foundation

/// How a case, a check or a build ended: exactly one per case.
public enum Verdict: String, Codable, Sendable, CaseIterable {
  case passed
  case wrongAnswer = "wrong-answer"
  case compileError = "compile-error"
  case crash
  case deadlock
  case timeout
  case tooSlow = "too-slow"
  case race
  /// A measurement too noisy to judge: never a silent pass or fail.
  case inconclusive
  /// Our fault, not the student's: shown as a JUnit `<error>`.
  case graderError = "grader-error"
  /// Not run, because something it needs (the build) failed.
  case skipped

  public var isPass: Bool { self == .passed }
}

/// A compiler message, parsed from `file:line:col: severity: message`.
public struct Diagnostic: Codable, Sendable, Equatable {
  public var file: String
  public var line: Int
  public var column: Int
  public var severity: String
  public var message: String

  public init(file: String, line: Int, column: Int, severity: String, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.severity = severity
    self.message = message
  }

  /// `main.swift:3:5: error: cannot find 'x' in scope`
  public var description: String { "\(file):\(line):\(column): \(severity): \(message)" }
}

/// The outcome of compiling a submission.
public struct BuildResult: Codable, Sendable {
  public var verdict: Verdict
  public var seconds: Double
  /// True when the binary came from the build cache and nothing was compiled.
  public var cached: Bool
  public var diagnostics: [Diagnostic]
  /// The compiler's full output, for the report's system-err.
  public var log: String

  public init(verdict: Verdict, seconds: Double, cached: Bool, diagnostics: [Diagnostic], log: String) {
    self.verdict = verdict
    self.seconds = seconds
    self.cached = cached
    self.diagnostics = diagnostics
    self.log = log
  }
}

/// One check of one case, with the points it earned.
public struct CheckResult: Codable, Sendable {
  public var name: String
  public var verdict: Verdict
  public var points: Double
  public var maxPoints: Double
  /// The first thing to fix, in one line; empty when passed, except for a measured check,
  /// which says what was measured.
  public var message: String
  /// More lines a TA may want: the full mismatch list, the deadlock cycle, ….
  public var details: String
  /// For a speed or scaling check: both series and the bound, even when it passed.
  public var timing: TimingResult?
  /// For a race check: every distinct ThreadSanitizer warning.
  public var races: [RaceReport]?

  public init(
    name: String, verdict: Verdict, points: Double, maxPoints: Double, message: String = "", details: String = "",
    timing: TimingResult? = nil, races: [RaceReport]? = nil
  ) {
    self.timing = timing
    self.races = races
    self.name = name
    self.verdict = verdict
    self.points = points
    self.maxPoints = maxPoints
    self.message = message
    self.details = details
  }
}

/// One rank's captured output and where it ran.
public struct RankOutput: Codable, Sendable {
  public var rank: Int
  public var stdout: String
  public var stderr: String
  /// CPUs the rank was allowed to run on, as the kernel reported them ("0", "0-1").
  public var affinity: String
  /// Set when the stream hit its cap and the rest was dropped.
  public var truncated: Bool

  public init(rank: Int, stdout: String, stderr: String, affinity: String = "", truncated: Bool = false) {
    self.rank = rank
    self.stdout = stdout
    self.stderr = stderr
    self.affinity = affinity
    self.truncated = truncated
  }
}

/// One case of a rubric as it ran: its verdict, checks and evidence.
public struct CaseResult: Codable, Sendable {
  public var name: String
  public var ranks: Int
  public var threads: Int
  public var hidden: Bool
  public var verdict: Verdict
  public var checks: [CheckResult]
  public var seconds: Double
  public var exitStatus: Int32?
  /// Why the run ended the way it did (a crash's rank and signal, a timeout), or empty.
  public var explanation: String
  public var outputs: [RankOutput]
  /// A shell command that reruns this case by hand.
  public var reproduce: String
  /// Who waited for whom when the run was stopped as stuck, for a picture of it.
  public var graph: WaitForGraph?

  public init(
    name: String, ranks: Int, threads: Int, hidden: Bool, verdict: Verdict, checks: [CheckResult],
    seconds: Double, exitStatus: Int32?, explanation: String, outputs: [RankOutput], reproduce: String,
    graph: WaitForGraph? = nil
  ) {
    self.graph = graph
    self.name = name
    self.ranks = ranks
    self.threads = threads
    self.hidden = hidden
    self.verdict = verdict
    self.checks = checks
    self.seconds = seconds
    self.exitStatus = exitStatus
    self.explanation = explanation
    self.outputs = outputs
    self.reproduce = reproduce
  }

  public var points: Double { checks.reduce(0) { $0 + $1.points } }
  public var maxPoints: Double { checks.reduce(0) { $0 + $1.maxPoints } }
}

/// Everything known about grading one submission of one exercise.
public struct ExerciseResult: Codable, Sendable {
  public var exercise: String
  public var title: String
  public var submission: String
  public var build: BuildResult
  public var cases: [CaseResult]
  public var timestamp: Date
  public var hostname: String
  public var toolchain: String
  public var mpiVersion: String

  public init(
    exercise: String, title: String, submission: String, build: BuildResult, cases: [CaseResult],
    timestamp: Date, hostname: String, toolchain: String, mpiVersion: String
  ) {
    self.exercise = exercise
    self.title = title
    self.submission = submission
    self.build = build
    self.cases = cases
    self.timestamp = timestamp
    self.hostname = hostname
    self.toolchain = toolchain
    self.mpiVersion = mpiVersion
  }

  public var score: Double { cases.reduce(0) { $0 + $1.points } }
  public var maxScore: Double { cases.reduce(0) { $0 + $1.maxPoints } }
  public var allPassed: Bool { build.verdict == .passed && cases.allSatisfy { $0.verdict == .passed } }
}
