import Foundation

/// Where something was declared in a rubric, so later stages (reference runs, reports)
/// can point authors back at the exact YAML line instead of just the case name.
public struct RubricLocation: Sendable, Hashable, CustomStringConvertible {
  /// The rubric's path as shown to people (as given to the loader, not resolved).
  public var file: String
  /// 1-based; 0 when the value was built in code rather than loaded.
  public var line: Int
  /// 1-based, counted in Unicode scalars (as libyaml does).
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// For models built in code (tests, tools) that have no YAML behind them.
  public static let unknown = RubricLocation(file: "<memory>", line: 0, column: 0)

  public var description: String { "\(file):\(line):\(column)" }
}

/// The grading spec of one exercise, loaded from `rubrics/<id>.yaml`.
///
/// Every path is already resolved against the rubric's directory and every referenced
/// file was checked to exist at load time, so grading never fails on a rubric typo.
public struct Rubric: Sendable, Equatable {
  /// The toolchain a submission is built with.
  public enum Language: String, Sendable, Codable, CaseIterable {
    case swift
    case c
  }

  /// Stable identifier (`[a-z0-9-]+`): used in reports, cache keys and CLI arguments.
  public var id: String
  public var title: String
  public var language: Language
  /// File names (relative, no `..`) a submission must contain.
  public var sources: [String]
  /// Trusted files compiled together with the submission; a submission's file with the same
  /// name is ignored, so students cannot replace a harness.
  public var support: [URL]
  /// Compiler flags, `["-O"]` unless the rubric says otherwise.
  public var flags: [String]
  /// The reference solution directory; required when a check uses `reference: true`.
  public var reference: URL?
  /// Default per-case timeout in seconds.
  public var timeout: Double
  /// Cases with `ranks` lists already expanded, in file order.
  public var cases: [RubricCase]
  /// The directory the rubric's relative paths were resolved against.
  public var baseDirectory: URL
  /// Where `id` is declared; `location.file` is the rubric's display path.
  public var location: RubricLocation

  public init(
    id: String, title: String, language: Language = .swift, sources: [String],
    support: [URL] = [], flags: [String] = Rubric.defaultFlags, reference: URL? = nil,
    timeout: Double = Rubric.defaultTimeout, cases: [RubricCase],
    baseDirectory: URL, location: RubricLocation = .unknown
  ) {
    self.id = id
    self.title = title
    self.language = language
    self.sources = sources
    self.support = support
    self.flags = flags
    self.reference = reference
    self.timeout = timeout
    self.cases = cases
    self.baseDirectory = baseDirectory
    self.location = location
  }

  public static let defaultFlags = ["-O"]
  public static let defaultTimeout: Double = 10

  /// The most a submission can score.
  public var totalPoints: Double { cases.reduce(0) { $0 + $1.points } }
}

/// One run of the submission. A YAML case with `ranks: [1, 2, 4]` becomes three of these.
public struct RubricCase: Sendable, Equatable {
  /// Unique within the rubric; `"<baseName> (np=N)"` when expanded from a `ranks` list.
  public var name: String
  /// The `name` as written, shared by all cases expanded from one YAML entry.
  public var baseName: String
  /// MPI process count; 0 runs the binary directly, without `mpirun`.
  public var ranks: Int
  /// Threads per rank, so the runner can reserve cores for them.
  public var threads: Int
  public var pinning: Pinning
  public var args: [String]
  /// Bytes fed to standard input (loaded from `stdin_file` when that was used).
  public var stdin: String?
  /// Where `stdin` came from, when it was a file.
  public var stdinFile: URL?
  public var env: [String: String]
  /// Seconds; the rubric's `timeout` unless the case overrides it.
  public var timeout: Double
  /// What the case is worth; equals the sum of its checks' points.
  public var points: Double
  public var visibility: Visibility
  public var checks: [RubricCheck]
  /// Standard sends behave as synchronous ones, so code that only works thanks to
  /// MPI's eager buffering fails the same way on every machine.
  public var strictSends: Bool
  /// Seconds every rank must be blocked with no progress before a deadlock is declared.
  public var stallWindow: Double
  /// Runs of the case; it passes only if every one passes (for intermittent bugs).
  public var repeatCount: Int
  /// Where the YAML entry starts (shared by expanded siblings).
  public var location: RubricLocation

  public static let defaultStallWindow = 0.5

  public init(
    name: String, baseName: String? = nil, ranks: Int = 1, threads: Int = 1,
    pinning: Pinning = .cores, args: [String] = [], stdin: String? = nil,
    stdinFile: URL? = nil, env: [String: String] = [:], timeout: Double = Rubric.defaultTimeout,
    points: Double, visibility: Visibility = .visible, checks: [RubricCheck],
    strictSends: Bool = false, stallWindow: Double = RubricCase.defaultStallWindow,
    repeatCount: Int = 1, location: RubricLocation = .unknown
  ) {
    self.repeatCount = repeatCount
    self.strictSends = strictSends
    self.stallWindow = stallWindow
    self.name = name
    self.baseName = baseName ?? name
    self.ranks = ranks
    self.threads = threads
    self.pinning = pinning
    self.args = args
    self.stdin = stdin
    self.stdinFile = stdinFile
    self.env = env
    self.timeout = timeout
    self.points = points
    self.visibility = visibility
    self.checks = checks
    self.location = location
  }

  /// Number of processes that produce output (a plain run is one process, rank 0).
  public var processCount: Int { max(ranks, 1) }

  /// Cores the case must own to be timed fairly: one per thread of every rank.
  public var coresNeeded: Int { processCount * threads }

  /// The exit status the run must end with: its `exit` check's, else 0.
  public var expectedExit: Int {
    checks.lazy.compactMap { check -> Int? in
      if case .exit(let code) = check.kind { return code }
      return nil
    }.first ?? 0
  }
}

/// One thing verified about a case's run. Exactly one `kind` per YAML check, so a failed
/// check always has a single, explainable reason.
public struct RubricCheck: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// The exit status of the run (of `mpirun` when ranks > 0).
    case exit(Int)
    /// Token-wise comparison, numbers within `atol`/`rtol`.
    case output(ExpectedOutput)
    /// NSRegularExpression (ICU) pattern that must match somewhere in the output.
    case regex(String)
    case contains(String)
    case notContains(String)
    /// Timed against another run; judged only once the output checks passed.
    case timing(TimingSpec)
    /// Rebuilt with ThreadSanitizer and run again; any report fails it.
    case raceFree
  }

  /// Checks that need runs of their own, made only after the case's other checks passed:
  /// timing a wrong program, or racing one, would say nothing useful.
  public var isMeasured: Bool {
    switch kind {
    case .timing, .raceFree: true
    default: false
    }
  }

  public var kind: Kind
  /// Whose output is inspected; meaningless for `exit`, where it stays `.all`.
  public var rank: RankSelector
  /// Absolute tolerance for numeric tokens (`output` only; 0 = exact).
  public var atol: Double
  /// Relative tolerance for numeric tokens (`output` only; 0 = exact).
  public var rtol: Double
  /// Compare output lines as a multiset (`output` only), for nondeterministic rank order.
  public var unordered: Bool
  /// Lines matching this pattern are left out on both sides (`output` only): a harness's
  /// timing lines, say, which differ on every run.
  public var ignore: String?
  /// This check's share of the case's points.
  public var points: Double
  public var location: RubricLocation

  public init(
    _ kind: Kind, rank: RankSelector = .all, atol: Double = 0, rtol: Double = 0,
    unordered: Bool = false, ignore: String? = nil, points: Double, location: RubricLocation = .unknown
  ) {
    self.ignore = ignore
    self.kind = kind
    self.rank = rank
    self.atol = atol
    self.rtol = rtol
    self.unordered = unordered
    self.points = points
    self.location = location
  }
}

/// What an `output` check compares against.
public enum ExpectedOutput: Sendable, Equatable {
  case inline(String)
  /// Loaded at rubric-load time, so a missing file is a rubric error, not a grading error.
  case file(URL, text: String)
  /// Whatever the reference solution prints for the same case.
  case reference
}

/// Which ranks' output a check inspects.
public enum RankSelector: Sendable, Hashable, CustomStringConvertible {
  /// One rank, `0..<processCount`.
  case rank(Int)
  /// Every rank separately must pass.
  case each
  /// All ranks' output concatenated in rank order.
  case all

  public var description: String {
    switch self {
    case .rank(let r): "\(r)"
    case .each: "each"
    case .all: "all"
    }
  }
}

public enum Visibility: String, Sendable, Codable, CaseIterable {
  /// Students see the case, its input and the diff.
  case visible
  /// Students see only pass/fail, so the case cannot be hard-coded.
  case hidden
}

public enum Pinning: String, Sendable, Codable, CaseIterable {
  /// Bind each rank to cores (`--bind-to core`): stable timings.
  case cores
  /// `none` in YAML; named so it cannot be confused with `Optional.none`.
  /// Lets the OS schedule freely (`--bind-to none`), e.g. for oversubscribed runs.
  case unpinned = "none"
}
