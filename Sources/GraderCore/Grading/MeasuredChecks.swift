import Foundation

/// Speed, scaling and race checks: each needs runs (and for races a build) of its own.
struct MeasuredChecks {
  let grader: Grader
  let rubric: Rubric
  let testCase: RubricCase
  let submission: URL
  let binary: URL

  /// The case's verdict and checks once its measured checks have run. Timing needs a
  /// correct program; a race check also runs after a wrong answer or a crash, since a
  /// race is often what caused it, and then the race is the case's verdict.
  func complete(_ verdict: Verdict, _ checks: [CheckResult]) -> (Verdict, [CheckResult]) {
    var checks = checks
    for (index, check) in testCase.checks.enumerated() where check.isMeasured {
      let isRaceCheck = check.kind == .raceFree
      guard verdict == .passed || (isRaceCheck && [.wrongAnswer, .crash].contains(verdict)) else { continue }
      var result = run(check)
      if verdict != .passed, result.verdict == .passed {
        // Looked for a cause and found none: no points for a program that is wrong anyway.
        result = CheckResult(
          name: result.name, verdict: .skipped, points: 0, maxPoints: result.maxPoints,
          message: "no data race found, but the case's other checks failed", races: [])
      }
      checks[index] = result
    }
    if checks.contains(where: { $0.verdict == .race }) { return (.race, checks) }
    guard verdict == .passed else { return (verdict, checks) }
    return (checks.first { !$0.verdict.isPass }?.verdict ?? .passed, checks)
  }

  func run(_ check: RubricCheck) -> CheckResult {
    let name = CaseJudge.name(of: check)
    let fail = { (verdict: Verdict, message: String) in
      CheckResult(name: name, verdict: verdict, points: 0, maxPoints: check.points, message: message)
    }
    do {
      switch check.kind {
      case .timing(let spec): return try timing(spec, check: check, name: name)
      case .raceFree: return try raceCheck(check, name: name)
      default: return fail(.graderError, "not a measured check")
      }
    } catch {
      return fail(.graderError, "could not measure: \(error)")
    }
  }

  // MARK: Timing

  /// A run that did not give a time: the check ends with this verdict and message.
  private struct RunFailure: Error {
    var verdict: Verdict
    var message: String
  }

  private func timing(_ spec: TimingSpec, check: RubricCheck, name: String) throws -> CheckResult {
    let result = { (verdict: Verdict, message: String, timing: TimingResult?) in
      CheckResult(
        name: name, verdict: verdict, points: verdict == .passed ? check.points : 0, maxPoints: check.points,
        message: message, timing: timing)
    }
    var otherCase = testCase
    var otherBinary = binary
    switch spec.comparison {
    case .program(let folder):
      guard let built = try grader.builder.build(rubric, submission: folder).binary else {
        return result(.graderError, "the baseline in \(folder.path) does not compile", nil)
      }
      otherBinary = built
    case .reference:
      guard let folder = rubric.reference, let built = try grader.builder.build(rubric, submission: folder).binary else {
        return result(.graderError, "the reference solution does not compile", nil)
      }
      otherBinary = built
    case .threads(let n):
      otherCase.threads = n
    case .ranks(let n):
      otherCase.ranks = n
    }
    let cores = grader.host.cores
    if testCase.pinning == .cores, let needy = [testCase, otherCase].first(where: { $0.coresNeeded > cores }) {
      return result(
        .inconclusive,
        "cannot be timed fairly here: a run with \(needy.processCount) process(es) × \(needy.threads) thread(s) needs \(needy.coresNeeded) cores and this machine has \(cores); not the submission's fault",
        nil)
    }
    let subjectSpec = grader.runSpec(testCase, binary: binary)
    let otherSpec = grader.runSpec(otherCase, binary: otherBinary)

    var affinity: [String] = []
    do {
      for _ in 0..<spec.warmup {
        _ = try time(subjectSpec, spec.measure, isSubject: true)
        _ = try time(otherSpec, spec.measure, isSubject: false)
      }
      let (subject, other, decision) = try TimingProcedure(spec).measure { isSubject in
        let (seconds, outputs) = try time(isSubject ? subjectSpec : otherSpec, spec.measure, isSubject: isSubject)
        if let problem = pinningProblem(outputs, threads: isSubject ? testCase.threads : otherCase.threads) {
          throw RunFailure(verdict: .inconclusive, message: problem)
        }
        if isSubject { affinity = outputs.map { "rank \($0.rank): CPUs \($0.affinity.isEmpty ? "?" : $0.affinity)" } }
        return seconds
      }
      let timing = TimingResult(
        subject: subject, other: other, otherName: spec.comparison.name,
        bound: CaseJudge.describe(spec.bound, against: spec.comparison),
        minimumSpeedup: spec.bound.minimumSpeedup, confidence: spec.confidence, affinity: affinity)
      switch decision {
      case .passed: return result(.passed, timing.summary, timing)
      case .tooSlow: return result(.tooSlow, timing.summary, timing)
      case .undecided(let why): return result(.inconclusive, "no verdict after \(subject.count) runs each: \(why); \(timing.summary)", timing)
      }
    } catch let failure as RunFailure {
      return result(failure.verdict, failure.message, nil)
    }
  }

  /// One timed run: its seconds and outputs, or the reason it gave none.
  private func time(_ spec: RunSpec, _ measure: TimingSpec.Measure, isSubject: Bool) throws -> (Double, [RankOutput]) {
    let outcome = try Launcher.run(spec, host: grader.host)
    let who = isSubject ? "the submission" : "the program it is compared against"
    if let (verdict, why) = CaseJudge.abnormalEnding(outcome, expectedExit: testCase.expectedExit) {
      throw RunFailure(verdict: isSubject ? verdict : .graderError, message: "a timing run of \(who) failed: \(why)")
    }
    switch measure {
    case .wall:
      return (outcome.seconds, outcome.outputs)
    case .pattern(let pattern):
      let stdout = outcome.outputs.first { $0.rank == 0 }?.stdout ?? ""
      let regex = try NSRegularExpression(pattern: pattern)
      let range = NSRange(stdout.startIndex..., in: stdout)
      guard let match = regex.matches(in: stdout, range: range).last,
        let group = Range(match.range(at: 1), in: stdout), let seconds = Double(stdout[group]), seconds.isFinite, seconds >= 0
      else {
        throw RunFailure(
          verdict: isSubject ? .wrongAnswer : .graderError,
          message: "\(who) printed no time matching /\(pattern)/ on rank 0")
      }
      return (seconds, outcome.outputs)
    }
  }

  /// Why a pinned run's timing cannot be trusted, if it ran on other CPUs than it asked for.
  private func pinningProblem(_ outputs: [RankOutput], threads: Int) -> String? {
    guard testCase.pinning == .cores else { return nil }
    for output in outputs {
      guard let count = CPUList.count(output.affinity) else {
        return "cannot be timed fairly: rank \(output.rank)'s CPU affinity was not recorded; not the submission's fault"
      }
      if count != threads {
        return "cannot be timed fairly: rank \(output.rank) was to be pinned to \(threads) core(s) but ran on CPUs \(output.affinity); not the submission's fault"
      }
    }
    return nil
  }

  // MARK: Races

  private func raceCheck(_ check: RubricCheck, name: String) throws -> CheckResult {
    let result = { (verdict: Verdict, message: String, details: String, races: [RaceReport]?) in
      CheckResult(
        name: name, verdict: verdict, points: verdict == .passed ? check.points : 0, maxPoints: check.points,
        message: message, details: details, races: races)
    }
    let (instrumented, build) = try grader.builder.build(rubric, submission: submission, threadSanitizer: true)
    guard let instrumented else {
      return result(.graderError, "the ThreadSanitizer build failed: \(build.diagnostics.first?.description ?? build.log)", "", nil)
    }
    var spec = grader.runSpec(testCase, binary: instrumented)
    spec.limits.memoryBytes = 0
    spec.timeout = max(testCase.timeout * 5, testCase.timeout + 20)  // instrumented code runs 5–15× slower
    var options = ["halt_on_error=0", "exitcode=66", "history_size=4"]
    if let symbolizer = grader.toolchain.tool("llvm-symbolizer") {
      options.append("external_symbolizer_path=\(symbolizer.path)")
    }
    spec.environment["TSAN_OPTIONS"] = options.joined(separator: " ")
    let ownFiles = Set(rubric.sources.map { ($0 as NSString).lastPathComponent } + rubric.support.map(\.lastPathComponent))
    for attempt in 1...testCase.repeatCount {
      let outcome = try Launcher.run(spec, host: grader.host)
      let reports = RaceReport.demangled(
        outcome.outputs.flatMap { RaceReport.parse($0.stderr, rank: $0.rank, ownFiles: ownFiles) },
        by: grader.toolchain.tool("swift-demangle"))
      let run = testCase.repeatCount > 1 ? " (run \(attempt) of \(testCase.repeatCount))" : ""
      if let first = reports.first {
        let more = reports.count > 1 ? " (and \(reports.count - 1) more)" : ""
        let who = { (report: RaceReport) in testCase.ranks > 0 ? "rank \(report.rank): " : "" }
        return result(
          .race, who(first) + first.summary + more + run,
          reports.prefix(10).map { who($0) + $0.summary }.joined(separator: "\n"), reports)
      }
      if let (verdict, why) = CaseJudge.abnormalEnding(outcome, expectedExit: testCase.expectedExit) {
        return result(verdict, "under ThreadSanitizer\(run): \(why)", "", nil)
      }
    }
    return result(.passed, "", "", [])
  }
}
