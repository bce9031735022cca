import Testing

@testable import GraderCore

/// The statistics a timing verdict rests on, and the rule that turns two series into one.
@Suite struct SeriesTests {
  @Test func quantilesInterpolateLikeNumPyAndQuartilesAreTheWiderExclusiveKind() {
    let series = Series([4, 1, 3, 2, 5])
    #expect(series.median == 3)
    #expect(series.quantile(0.25) == 2 && series.quantile(0.75) == 4)
    #expect(series.lowerQuartile == 1.5)
    #expect(series.upperQuartile == 4.5)
    #expect(series.minimum == 1 && series.maximum == 5)
    #expect(Series([1, 2, 3, 4]).median == 2.5)
    #expect(Series([1, 2, 3, 4]).quantile(0.25) == 1.75)
    #expect(Series([1, 2, 3]).exclusiveQuantile(0.1) == 1, "clamped to the smallest")
    #expect(series.spread == 1)
    #expect(Series().median == 0 && Series().spread == .infinity)
  }

  static let steady = Series([1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01])

  @Test func clearlyFasterPassesAndClearlySlowerFails() {
    let fourTimesSlower = Series(Self.steady.seconds.map { $0 * 4 })
    #expect(TimingDecision.judge(subject: Self.steady, other: fourTimesSlower, minimumSpeedup: 3, maxSpread: 0.2) == .passed)
    #expect(TimingDecision.judge(subject: Self.steady, other: Self.steady, minimumSpeedup: 3, maxSpread: 0.2) == .tooSlow)
    // within 1.5× the other's time: a 10 % slower program passes.
    let slower = Series(Self.steady.seconds.map { $0 * 1.1 })
    #expect(TimingDecision.judge(subject: slower, other: Self.steady, minimumSpeedup: 1 / 1.5, maxSpread: 0.2) == .passed)
  }

  @Test func aNoisySeriesIsNeverJudged() {
    let noisy = Series([0.02, 0.19, 0.08, 0.15, 0.04, 0.11, 0.17])
    guard case .undecided(let why) = TimingDecision.judge(subject: noisy, other: Self.steady, minimumSpeedup: 1, maxSpread: 0.2)
    else { Issue.record("a spread of \(noisy.spread) was judged"); return }
    #expect(why.contains("the submission's times vary too much"))
  }

  @Test func aRatioTheQuartilesCouldTipEitherWayIsUndecided() {
    // Medians give exactly 3×, but the middle halves overlap the bound.
    let subject = Series([0.95, 1.0, 1.05, 1.0, 0.97, 1.03, 1.0])
    let other = Series(subject.seconds.map { $0 * 3 })
    guard case .undecided(let why) = TimingDecision.judge(subject: subject, other: other, minimumSpeedup: 3, maxSpread: 0.2)
    else { Issue.record("a borderline ratio got a verdict"); return }
    #expect(why.contains("too close to the bound"))
  }

  @Test func cpuListsAreCounted() {
    #expect(CPUList.count("0") == 1)
    #expect(CPUList.count("0-3\n") == 4)
    #expect(CPUList.count("0,2-3") == 3)
    #expect(CPUList.count("") == nil)
    #expect(CPUList.count("3-1") == nil)
    #expect(CPUList.count("x") == nil)
  }
}
