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

/// The judgement of two series against a bound: decided only when noise cannot change it.
public enum TimingDecision: Sendable, Equatable {
  case passed
  case tooSlow
  /// Not yet (or never) decidable, and why.
  case undecided(String)

  /// - Parameters:
  ///   - subject: the case's own runs.
  ///   - other: the runs it is compared against.
  ///   - minimumSpeedup: other ÷ subject must reach this.
  /// The ratio of medians decides, but only once both series are steady
  /// (spread ≤ `maxSpread`) and the bound lies outside the range the quartiles allow
  /// (other's Q1 ÷ subject's Q3 … other's Q3 ÷ subject's Q1): a result that the middle half
  /// of the runs could tip either way is not a verdict.
  public static func judge(subject: Series, other: Series, minimumSpeedup: Double, maxSpread: Double) -> TimingDecision {
    for (name, series) in [("the submission's", subject), ("the comparison's", other)] where series.spread > maxSpread {
      return .undecided(
        String(format: "%@ times vary too much (interquartile range %.0f%% of the median, limit %.0f%%)",
               name, series.spread * 100, maxSpread * 100))
    }
    let low = other.lowerQuartile / subject.upperQuartile
    let high = other.upperQuartile / subject.lowerQuartile
    if low >= minimumSpeedup { return .passed }
    if high < minimumSpeedup { return .tooSlow }
    return .undecided(
      String(format: "the ratio is too close to the bound to call (between %.2f× and %.2f× across the middle half of the runs)", low, high))
  }
}
