import Foundation

/// A speed or scaling check: the case's program timed side by side with another run,
/// because one run against a fixed threshold says more about the machine's load than
/// about the code.
public struct TimingSpec: Sendable, Equatable {
  /// What the case's run is timed against.
  public enum Comparison: Sendable, Equatable {
    /// Another program built from the same rubric (a naive version, say), from this folder.
    case program(URL)
    /// The rubric's reference solution.
    case reference
    /// The same case with another thread count.
    case threads(Int)
    /// The same case with another rank count.
    case ranks(Int)

    /// As a report names it: "the baseline (naive)", "1 thread".
    public var name: String {
      switch self {
      case .program(let folder): "the baseline (\(folder.lastPathComponent))"
      case .reference: "the reference solution"
      case .threads(let n): "\(n) thread" + (n == 1 ? "" : "s")
      case .ranks(let n): "\(n) rank" + (n == 1 ? "" : "s")
      }
    }
  }

  /// How much faster the case must be than the other run.
  public enum Bound: Sendable, Equatable {
    /// other's median ÷ case's median ≥ factor.
    case speedup(Double)
    /// case's median ÷ other's median ≤ factor.
    case within(Double)

    /// The smallest acceptable other ÷ case ratio, so both bounds judge one number.
    public var minimumSpeedup: Double {
      switch self {
      case .speedup(let factor): factor
      case .within(let factor): 1 / factor
      }
    }
  }

  /// What one run's time is.
  public enum Measure: Sendable, Equatable {
    /// The run's wall time, launch included.
    case wall
    /// Seconds the program reports, captured by the pattern's first group from rank 0's
    /// stdout (the last match wins, so a trusted harness's final line decides).
    case pattern(String)
  }

  public var comparison: Comparison
  public var bound: Bound
  public var measure: Measure
  /// Timed runs of each program before any verdict.
  public var runs: Int
  /// Untimed runs of each program first (caches, page faults, lazy binding).
  public var warmup: Int
  /// Timed runs of each program after which a noisy or borderline result is `inconclusive`.
  public var maxRuns: Int
  /// How sure a verdict must be: the confidence interval of the ratio of medians at
  /// this level must lie wholly on one side of the bound.
  public var confidence: Double

  public static let defaultRuns = 7
  public static let defaultWarmup = 1
  public static let defaultMaxRuns = 21
  public static let defaultConfidence = 0.95

  public init(
    comparison: Comparison, bound: Bound, measure: Measure = .wall, runs: Int = TimingSpec.defaultRuns,
    warmup: Int = TimingSpec.defaultWarmup, maxRuns: Int = TimingSpec.defaultMaxRuns,
    confidence: Double = TimingSpec.defaultConfidence
  ) {
    self.comparison = comparison
    self.bound = bound
    self.measure = measure
    self.runs = runs
    self.warmup = warmup
    self.maxRuns = max(runs, maxRuns)
    self.confidence = confidence
  }
}
