import Foundation

/// What a speed or scaling check measured, kept whatever the verdict so a report can show
/// why it passed as well as why it did not.
public struct TimingResult: Codable, Sendable, Equatable {
  /// The case's own runs.
  public var subject: Series
  /// The runs it was compared against.
  public var other: Series
  /// Who `other` is, as a report names it: "the baseline (naive)", "1 thread".
  public var otherName: String
  /// The bound in words: "at least 3× faster than the baseline (naive)".
  public var bound: String
  public var minimumSpeedup: Double
  /// The level of the ratio's confidence interval the verdict was decided at.
  public var confidence: Double
  /// CPUs each rank of the case's runs was allowed on, as the kernel reported them.
  public var affinity: [String]

  public init(
    subject: Series, other: Series, otherName: String, bound: String, minimumSpeedup: Double, confidence: Double,
    affinity: [String]
  ) {
    self.subject = subject
    self.other = other
    self.otherName = otherName
    self.bound = bound
    self.minimumSpeedup = minimumSpeedup
    self.confidence = confidence
    self.affinity = affinity
  }

  /// other's median ÷ subject's median.
  public var speedup: Double { subject.median > 0 ? other.median / subject.median : 0 }

  /// Where the ratio lies at `confidence`; nil with too few runs.
  public var ratioInterval: ClosedRange<Double>? {
    TimingDecision.ratioInterval(subject: subject, other: other, confidence: confidence)
  }

  /// `0.012 s against 0.045 s for the baseline (medians of 7 runs each; ranges 0.011–0.013 s,
  /// 0.044–0.047 s; spread 4 % and 2 %): 3.75× faster (95 % interval 3.38–4.27×); bound: at least 3× faster`
  public var summary: String {
    // In the same terms as the ratio: a speed-up, or for a slower program its time.
    let interval = ratioInterval.map { r in
      let level = TimingDecision.percent(confidence)
      return speedup >= 1
        ? String(format: " (%@ interval %.2f–%.2f×)", level, r.lowerBound, r.upperBound)
        : String(format: " (%@ interval %.2f–%.2f× the time)", level, 1 / r.upperBound, 1 / r.lowerBound)
    } ?? ""
    return String(
      format: "%@ against %@ for %@ (medians of %d runs each; ranges %@, %@; spread %.0f %% and %.0f %%): %@%@; bound: %@",
      seconds(subject.median), seconds(other.median), otherName, subject.count,
      range(subject), range(other), subject.spread * 100, other.spread * 100, ratioText, interval, bound)
  }

  private var ratioText: String {
    speedup >= 1 ? String(format: "%.2f× faster", speedup) : String(format: "%.2f× the time", 1 / speedup)
  }

  private func range(_ series: Series) -> String { "\(seconds(series.minimum, unit: false))–\(seconds(series.maximum))" }

  private func seconds(_ value: Double, unit: Bool = true) -> String {
    let digits = value >= 10 ? 1 : value >= 1 ? 2 : value >= 0.01 ? 3 : 5
    return String(format: "%.\(digits)f", value) + (unit ? " s" : "")
  }
}
