import Foundation

/// Grades submissions: build once, run every selected case, judge, and report
/// progress after each case so an interrupted grading still has what was done.
public struct Grader: Sendable {
  public var toolchain: Toolchain
  public var builder: SubmissionBuilder
  /// The deadlock probe preloaded into every rank.
  public var probeLibrary: URL
  /// The script that compiles a standalone Swift file against the MPI module.
  public var compileScript: String
  public var limits = ResourceLimits()
  public var host = LaunchPlan.Host.current

  /// Finds the toolchain and compiles (or reuses) the MPI module from `sources`.
  public init(sources: URL, cache: URL) throws {
    toolchain = try Toolchain.discover()
    let module = try MPIModuleCache.ensure(sources: sources, cache: cache, toolchain: toolchain)
    builder = SubmissionBuilder(module: module, cache: cache)
    probeLibrary = try ProbeLibrary.ensure(sources: sources, cache: cache, toolchain: toolchain)
    compileScript = sources.deletingLastPathComponent().appendingPathComponent("scripts/compile-standalone").path
  }

  /// - Parameters:
  ///   - includeHidden: false for a student's self-check, true for CI and TAs.
  ///   - progress: called with the result so far after the build and after each case.
  public func grade(
    _ rubric: Rubric, submission: URL, includeHidden: Bool,
    progress: (ExerciseResult) -> Void = { _ in }
  ) throws -> ExerciseResult {
    let cases = rubric.cases.filter { includeHidden || $0.visibility == .visible }
    var result = ExerciseResult(
      exercise: rubric.id, title: rubric.title, submission: submission.path,
      build: BuildResult(verdict: .skipped, seconds: 0, cached: false, diagnostics: [], log: ""),
      cases: [], timestamp: Date(), hostname: ProcessInfo.processInfo.hostName,
      toolchain: toolchain.swiftVersion, mpiVersion: toolchain.mpiVersion)
    let (binary, build) = try builder.build(rubric, submission: submission)
    result.build = build
    progress(result)

    let references = ReferenceRuns(grader: self, rubric: rubric)
    for testCase in cases {
      let reproduce = reproduceCommand(rubric, testCase)
      guard let binary else {
        result.cases.append(skipped(testCase, reason: "not run: the submission did not compile", reproduce: reproduce))
        progress(result)
        continue
      }
      let started = Date()
      var reference: [RankOutput]?
      var referenceProblem = ""
      do { reference = try references.outputs(for: testCase) } catch { referenceProblem = "\(error)" }
      // Every repeat must pass; the first that fails is the one reported.
      var outcome = try Launcher.run(runSpec(testCase, binary: binary), host: host)
      var judged = CaseJudge.judge(testCase, outcome: outcome, reference: reference)
      var failedRun = ""
      for attempt in stride(from: 2, through: testCase.repeatCount, by: 1) where judged.verdict == .passed {
        outcome = try Launcher.run(runSpec(testCase, binary: binary), host: host)
        judged = CaseJudge.judge(testCase, outcome: outcome, reference: reference)
        if judged.verdict != .passed { failedRun = "run \(attempt) of \(testCase.repeatCount) failed (the earlier ones passed)" }
      }
      (judged.verdict, judged.checks) = MeasuredChecks(
        grader: self, rubric: rubric, testCase: testCase, submission: submission, binary: binary
      ).complete(judged.verdict, judged.checks)
      let explanation = [
        failedRun, judged.explanation, referenceProblem,
        outcome.heldOpen
          ? "every rank finished, but a process the program left running in the background kept the job open; it was stopped" : "",
        outcome.strays > 0 ? "the sandbox left \(outcome.strays) processes behind; they were killed" : "",
        host.processLimits.warning ?? "",
      ].filter { !$0.isEmpty }.joined(separator: "; ")
      result.cases.append(CaseResult(
        name: testCase.name, ranks: testCase.ranks, threads: testCase.threads,
        hidden: testCase.visibility == .hidden, verdict: judged.verdict, checks: judged.checks,
        seconds: Date().timeIntervalSince(started), exitStatus: exitStatus(outcome.ending), explanation: explanation,
        outputs: outcome.outputs,
        reproduce: judged.verdict == .race ? reproduceCommand(rubric, testCase, threadSanitizer: true) : reproduce,
        graph: graph(outcome.ending)))
      progress(result)
    }
    return result
  }

  func runSpec(_ testCase: RubricCase, binary: URL) -> RunSpec {
    RunSpec(
      binary: binary, ranks: testCase.ranks, threads: testCase.threads, pinned: testCase.pinning == .cores,
      arguments: testCase.args, stdin: testCase.stdin, environment: testCase.env, timeout: testCase.timeout,
      limits: limits,
      probe: testCase.ranks == 0
        ? nil : ProbeSettings(library: probeLibrary, strictSends: testCase.strictSends, stallWindow: testCase.stallWindow))
  }

  /// Build and run in one line, from the submission's folder.
  private func reproduceCommand(_ rubric: Rubric, _ testCase: RubricCase, threadSanitizer: Bool = false) -> String {
    let spec = runSpec(testCase, binary: URL(fileURLWithPath: "main"))
    let files = (rubric.sources + rubric.support.map(\.lastPathComponent)).map(shellQuote).joined(separator: " ")
    let build = switch (rubric.language, threadSanitizer) {
    case (.swift, false): "\(shellQuote(compileScript)) \(files) -o main"
    case (.swift, true): "\(shellQuote(compileScript)) -sanitize=thread -g \(files) -o main"
    case (.c, false): "mpicc \(rubric.flags.joined(separator: " ")) \(files) -o main"
    case (.c, true): "mpicc \(rubric.flags.joined(separator: " ")) -fsanitize=thread -g \(files) -o main"
    }
    return build + " && " + LaunchPlan.reproduceCommand(binary: "./main", spec: spec)
  }

  private func skipped(_ testCase: RubricCase, reason: String, reproduce: String) -> CaseResult {
    CaseResult(
      name: testCase.name, ranks: testCase.ranks, threads: testCase.threads,
      hidden: testCase.visibility == .hidden, verdict: .skipped,
      checks: testCase.checks.map {
        CheckResult(name: CaseJudge.name(of: $0), verdict: .skipped, points: 0, maxPoints: $0.points, message: reason)
      },
      seconds: 0, exitStatus: nil, explanation: reason, outputs: [], reproduce: reproduce)
  }

  private func graph(_ ending: RunOutcome.Ending) -> WaitForGraph? {
    if case .stuck(let diagnosis) = ending { return diagnosis.graph }
    return nil
  }

  private func exitStatus(_ ending: RunOutcome.Ending) -> Int32? {
    if case .exited(let status) = ending { return status }
    return nil
  }
}
