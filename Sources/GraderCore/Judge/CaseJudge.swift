import Foundation

/// Turns one run of a case into check results: how the run ended decides first
/// (a crash or timeout fails every check with that verdict), then each check
/// looks at the output it selects.
public enum CaseJudge {
  /// - Parameter reference: the reference solution's output for this case, per rank,
  ///   needed by `output: {reference: true}` checks (nil when there is none).
  public static func judge(
    _ testCase: RubricCase, outcome: RunOutcome, reference: [RankOutput]?
  ) -> (verdict: Verdict, checks: [CheckResult], explanation: String) {
    if let (verdict, explanation) = abnormalEnding(outcome, expectedExit: testCase.expectedExit, strictSends: testCase.strictSends) {
      // Every check takes the ending's verdict but a race check, which the grader may
      // still run: a race is often why a program crashed.
      let checks = testCase.checks.map {
        $0.kind == .raceFree
          ? CheckResult(name: name(of: $0), verdict: .skipped, points: 0, maxPoints: $0.points, message: notMeasured)
          : CheckResult(name: name(of: $0), verdict: verdict, points: 0, maxPoints: $0.points, message: explanation)
      }
      return (verdict, checks, explanation)
    }
    let checks = testCase.checks.map { check -> CheckResult in
      guard check.isMeasured else { return self.check(in: check, outcome: outcome, reference: reference) }
      return CheckResult(name: name(of: check), verdict: .skipped, points: 0, maxPoints: check.points, message: notMeasured)
    }
    let judged = zip(testCase.checks, checks).filter { !$0.0.isMeasured }.map(\.1)
    let verdict = judged.first { !$0.verdict.isPass }?.verdict ?? .passed
    return (verdict, checks, "")
  }

  /// What a measured check says until the grader measures it, which it does only once
  /// every other check passed.
  public static let notMeasured = "not measured: the case's other checks must pass first"

  /// A run that did not end the way the rubric expects: the reason, in a line a
  /// student can act on.
  static func abnormalEnding(_ outcome: RunOutcome, expectedExit: Int, strictSends: Bool = false) -> (Verdict, String)? {
    switch outcome.ending {
    case .timedOut(let after):
      let activity = outcome.rankActivity.isEmpty ? "" : "; when stopped:\n" + outcome.rankActivity
      return (.timeout, "did not finish within \(format(after)) s and was stopped" + activity)
    case .stuck(let diagnosis):
      var text = diagnosis.explanation
      if strictSends, case .deadlock = diagnosis, text.contains("MPI_Send(") {
        text += " (sends are synchronous in this case: the program relies on MPI buffering its messages, which some machines and message sizes do and others do not)"
      }
      return (diagnosis.verdict ?? .deadlock, text)
    case .outputLimit(let bytes):
      return (.crash, "stopped after writing \(bytes) bytes of output: far more than any answer needs")
    case .signaled(let signal, let rank):
      let who = rank.map { "rank \($0)" } ?? "the program"
      return (.crash, "\(who) was killed by signal \(signal) (\(signalName(signal)))" + firstError(outcome))
    case .exited(let status) where Int(status) != expectedExit:
      let who = MPIRunNotice.failedRank(in: outcome.launcherMessages).map { "rank \($0)" } ?? "the program"
      return (.crash, "\(who) exited with status \(status)" + (expectedExit == 0 ? "" : ", expected \(expectedExit)") + firstError(outcome))
    case .exited:
      return nil
    }
  }

  /// The first line a rank wrote to stderr, which usually says what went wrong
  /// (an MPI error with its source line, a Swift fatal error).
  static func firstError(_ outcome: RunOutcome) -> String {
    for output in outcome.outputs {
      if let line = output.stderr.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
        return ": rank \(output.rank) said \"\(line.prefix(300))\""
      }
    }
    return ""
  }

  static func check(in check: RubricCheck, outcome: RunOutcome, reference: [RankOutput]?) -> CheckResult {
    let result = { (mismatch: Mismatch?, failure: Verdict) -> CheckResult in
      guard let mismatch else { return CheckResult(name: name(of: check), verdict: .passed, points: check.points, maxPoints: check.points) }
      return CheckResult(
        name: name(of: check), verdict: failure, points: 0, maxPoints: check.points,
        message: mismatch.message, details: mismatch.details)
    }
    let tolerance = Tolerance(atol: check.atol, rtol: check.rtol)
    let selections = select(check.rank, outcome.outputs)
    do {
      for (label, ranks) in selections {
        let got = text(of: ranks, in: outcome.outputs)
        let mismatch: Mismatch?
        switch check.kind {
        case .exit:
          mismatch = nil  // settled by abnormalEnding
        case .output(let expected):
          let want: String
          switch expected {
          case .inline(let text), .file(_, let text): want = text
          case .reference:
            guard let reference else {
              return result(Mismatch(message: "the reference solution produced no output for this case"), .graderError)
            }
            want = text(of: ranks, in: reference)
          }
          let keep = try lineFilter(check.ignore)
          mismatch = OutputComparison.compare(
            got: keep(got), expected: keep(want), tolerance: tolerance, unordered: check.unordered, label: label)
        case .regex(let pattern):
          mismatch = try TextCheck.matches(regex: pattern, in: got, label: label)
        case .contains(let needle):
          mismatch = TextCheck.contains(needle, in: got, label: label)
        case .notContains(let needle):
          mismatch = TextCheck.notContains(needle, in: got, label: label)
        case .timing, .raceFree:
          mismatch = nil  // measured by the grader in runs of their own
        }
        if let mismatch { return result(mismatch, .wrongAnswer) }
      }
    } catch {
      return result(Mismatch(message: "the rubric's check is invalid: \(error)"), .graderError)
    }
    return result(nil, .passed)
  }

  /// Drops the lines an `ignore` pattern matches (nothing without one).
  static func lineFilter(_ pattern: String?) throws -> (String) -> String {
    guard let pattern else { return { $0 } }
    let regex = try NSRegularExpression(pattern: pattern)
    return { text in
      text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
        let line = String(line)
        return regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil
      }.joined(separator: "\n")
    }
  }

  /// The outputs a check looks at, each with its label.
  static func select(_ selector: RankSelector, _ outputs: [RankOutput]) -> [(String, [Int])] {
    switch selector {
    case .rank(let r): [("rank \(r)", [r])]
    case .each: outputs.map { ("rank \($0.rank)", [$0.rank]) }
    case .all: [(outputs.count == 1 ? "output" : "merged output", outputs.map(\.rank))]
    }
  }

  /// The ranks' stdout in rank order; a last line without its newline still ends
  /// before the next rank's first.
  static func text(of ranks: [Int], in outputs: [RankOutput]) -> String {
    ranks.map { r in
      let text = outputs.first { $0.rank == r }?.stdout ?? ""
      return text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }.joined()
  }

  /// `exit 0`, `output (rank 0)`, `regex (each rank)`: short and unique within a case.
  public static func name(of check: RubricCheck) -> String {
    let kind: String
    switch check.kind {
    case .exit(let code): return "exit \(code)"
    case .output(.reference): kind = "output matches the reference"
    case .output: kind = "output"
    case .regex(let pattern): kind = "matches /\(pattern)/"
    case .contains(let text): kind = "contains \"\(text)\""
    case .notContains(let text): kind = "does not contain \"\(text)\""
    case .timing(let spec): return "speed: \(describe(spec.bound, against: spec.comparison))"
    case .raceFree: return "free of data races"
    }
    switch check.rank {
    case .all: return kind
    case .each: return "\(kind) (each rank)"
    case .rank(let r): return "\(kind) (rank \(r))"
    }
  }

  /// "at least 3× faster than the baseline (naive)", "at most 0.3× the time with 1 thread".
  public static func describe(_ bound: TimingSpec.Bound, against comparison: TimingSpec.Comparison) -> String {
    let other = comparison.name
    return switch (bound, comparison) {
    case (.speedup(let f), .threads), (.speedup(let f), .ranks): "at least \(number(f))× faster than with \(other)"
    case (.speedup(let f), _): "at least \(number(f))× faster than \(other)"
    case (.within(let f), .threads), (.within(let f), .ranks): "at most \(number(f))× the time with \(other)"
    case (.within(let f), _): "at most \(number(f))× the time of \(other)"
    }
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }

  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
  }

  static func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "Segmentation fault"
    case SIGBUS: "Bus error"
    case SIGFPE: "Floating point exception"
    case SIGILL: "Illegal instruction: a Swift runtime trap such as an overflow, a force-unwrap of nil or an index out of range"
    case SIGTRAP: "Trace trap: a Swift runtime trap such as an overflow, a force-unwrap of nil or an index out of range"
    case SIGABRT: "Aborted"
    case SIGKILL: "Killed, often for using too much memory"
    case SIGXCPU: "CPU time limit exceeded"
    case SIGTERM: "Terminated"
    default: "signal \(signal)"
    }
  }
}
