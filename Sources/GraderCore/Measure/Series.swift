import Foundation

/// Repeated timings of one program, summarised the way a careful benchmark is read:
/// by the median and the spread of the middle half, not by the mean, which one
/// descheduled run can move.
public struct Series: Codable, Sendable, Equatable {
  /// Seconds per timed run, in the order they ran.
  public var seconds: [Double]

  public init(_ seconds: [Double] = []) { self.seconds = seconds }

  public var count: Int { seconds.count }
  public var median: Double { quantile(0.5) }
  public var minimum: Double { seconds.min() ?? 0 }
  public var maximum: Double { seconds.max() ?? 0 }
  /// The quartiles as the "exclusive" method (Weibull, p·(n+1)) estimates them: with a
  /// handful of runs it gives a wider middle half than interpolating between closest
  /// ranks, so that five lucky runs of a noisy program do not pass for steady ones.
  public var lowerQuartile: Double { exclusiveQuantile(0.25) }
  public var upperQuartile: Double { exclusiveQuantile(0.75) }

  /// Interquartile range ÷ median: 0.2 means the middle half of the runs spans 20 % of
  /// the typical time.
  public var spread: Double {
    median > 0 ? (upperQuartile - lowerQuartile) / median : .infinity
  }

  /// Position p·(n+1) in the sorted runs (type 6), clamped to the smallest and largest.
  public func exclusiveQuantile(_ q: Double) -> Double {
    let sorted = seconds.sorted()
    guard !sorted.isEmpty else { return 0 }
    let position = min(max(q * Double(sorted.count + 1) - 1, 0), Double(sorted.count - 1))
    let below = Int(position.rounded(.down))
    let above = min(below + 1, sorted.count - 1)
    let weight = position - Double(below)
    return sorted[below] * (1 - weight) + sorted[above] * weight
  }

  /// A confidence interval for the median, from the order statistics alone: the
  /// k-th smallest and k-th largest run, with k the largest for which the interval
  /// holds the true median with at least `confidence` (a binomial count, no
  /// assumption about how times are distributed). Nil when there are too few runs
  /// for that level (at 97.5 %, 7).
  public func medianInterval(confidence: Double) -> ClosedRange<Double>? {
    let n = seconds.count
    guard n > 0 else { return nil }
    var k = 0
    // P(fewer than j runs fall below the median) = P(Binomial(n, ½) ≤ j − 1).
    var below = 0.0
    for j in 1...((n + 1) / 2) {
      below += Series.binomialHalf(n, j - 1)
      guard 2 * below <= 1 - confidence else { break }
      k = j
    }
    guard k > 0 else { return nil }
    let sorted = seconds.sorted()
    return sorted[k - 1]...sorted[n - k]
  }

  /// P(Binomial(n, ½) = i), in logs so that n in the thousands does not overflow.
  static func binomialHalf(_ n: Int, _ i: Int) -> Double {
    exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * log(2))
  }

  /// Linear interpolation between closest ranks (type 7, as NumPy and R default to).
  public func quantile(_ q: Double) -> Double {
    let sorted = seconds.sorted()
    guard !sorted.isEmpty else { return 0 }
    let position = q * Double(sorted.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, sorted.count - 1)
    let weight = position - Double(below)
    return sorted[below] * (1 - weight) + sorted[above] * weight
  }
}

/// The judgement of two series against a bound: decided as soon as noise cannot change it.
public enum TimingDecision: Sendable, Equatable {
  case passed
  case tooSlow
  /// Not yet (or never) decidable, and why.
  case undecided(String)

  /// - Parameters:
  ///   - subject: the case's own runs.
  ///   - other: the runs it is compared against.
  ///   - minimumSpeedup: other ÷ subject must reach this.
  ///   - confidence: how sure the verdict must be.
  ///
  /// The uncertainty that matters is the ratio's, not either series' on its own: a
  /// noisy 14× against a bound of 5× is certain, a steady 3.0× against 3× is not.
  /// So the verdict is given once the confidence interval of the ratio of medians
  /// lies wholly on one side of the bound. That interval is built from one interval
  /// per median, each at half the allowed error (Bonferroni): the ratio lies in it
  /// with at least the chance asked for, whatever the times' distribution.
  public static func judge(subject: Series, other: Series, minimumSpeedup: Double, confidence: Double) -> TimingDecision {
    guard let ratio = ratioInterval(subject: subject, other: other, confidence: confidence) else {
      return .undecided("too few runs for a \(percent(confidence)) confidence interval")
    }
    if ratio.lowerBound >= minimumSpeedup { return .passed }
    if ratio.upperBound < minimumSpeedup { return .tooSlow }
    return .undecided(
      String(format: "the ratio's %@ confidence interval, %.2f× to %.2f×, still holds the bound", percent(confidence),
             ratio.lowerBound, ratio.upperBound))
  }

  /// Where other's median ÷ subject's median lies, with at least `confidence`.
  public static func ratioInterval(subject: Series, other: Series, confidence: Double) -> ClosedRange<Double>? {
    let each = 1 - (1 - confidence) / 2
    guard let s = subject.medianInterval(confidence: each), let o = other.medianInterval(confidence: each),
      s.lowerBound > 0
    else { return nil }
    return (o.lowerBound / s.upperBound)...(o.upperBound / s.lowerBound)
  }

  static func percent(_ level: Double) -> String {
    let value = level * 100
    return value == value.rounded() ? String(format: "%.0f %%", value) : String(format: "%.1f %%", value)
  }
}

/// When to stop timing: the two programs run alternately, A B then B A, so neither
/// always follows the other's cache effects; after `runs` pairs, and after every pair
/// from then on, the decision is tried, until it is certain or `maxRuns` is reached.
/// Pure over the function that times one run, so its error rates can be simulated.
public struct TimingProcedure: Sendable {
  public var runs: Int
  public var maxRuns: Int
  public var minimumSpeedup: Double
  public var confidence: Double

  public init(runs: Int, maxRuns: Int, minimumSpeedup: Double, confidence: Double) {
    self.runs = runs
    self.maxRuns = maxRuns
    self.minimumSpeedup = minimumSpeedup
    self.confidence = confidence
  }

  public init(_ spec: TimingSpec) {
    self.init(runs: spec.runs, maxRuns: spec.maxRuns, minimumSpeedup: spec.bound.minimumSpeedup, confidence: spec.confidence)
  }

  /// - Parameter time: seconds of one run of the subject (true) or of the other program (false).
  public func measure(
    _ time: (_ isSubject: Bool) throws -> Double
  ) rethrows -> (subject: Series, other: Series, decision: TimingDecision) {
    var subject = Series(), other = Series()
    var decision = TimingDecision.undecided("no runs yet")
    while subject.count < maxRuns {
      let order = subject.count.isMultiple(of: 2) ? [true, false] : [false, true]
      for isSubject in order {
        let seconds = try time(isSubject)
        if isSubject { subject.seconds.append(seconds) } else { other.seconds.append(seconds) }
      }
      guard subject.count >= runs else { continue }
      decision = TimingDecision.judge(subject: subject, other: other, minimumSpeedup: minimumSpeedup, confidence: confidence)
      if case .undecided = decision { continue }
      break
    }
    return (subject, other, decision)
  }
}
