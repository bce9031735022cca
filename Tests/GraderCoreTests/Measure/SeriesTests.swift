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

  @Test func theMedianIntervalComesFromOrderStatistics() {
    // With 7 runs only the whole range reaches 97.5 %: P(all 7 on one side) = 2/128.
    #expect(Series([5, 1, 4, 2, 3, 7, 6]).medianInterval(confidence: 0.975) == 1...7)
    #expect(Series([1, 2, 3, 4, 5, 6]).medianInterval(confidence: 0.975) == nil, "6 runs cannot reach 97.5 %")
    // 21 runs at 97.5 %: the 5th smallest to the 5th largest (P(Bin(21, ½) ≤ 4) = 0.36 %, ≤ 5 is 1.3 %).
    let ordered = Series((1...21).map(Double.init).shuffled())
    #expect(ordered.medianInterval(confidence: 0.975) == 5...17)
    #expect(Series.binomialHalf(2, 1) == 0.5)
  }

  @Test func clearlyFasterPassesAndClearlySlowerFails() {
    let fourTimesSlower = Series(Self.steady.seconds.map { $0 * 4 })
    #expect(TimingDecision.judge(subject: Self.steady, other: fourTimesSlower, minimumSpeedup: 3, confidence: 0.95) == .passed)
    #expect(TimingDecision.judge(subject: Self.steady, other: Self.steady, minimumSpeedup: 3, confidence: 0.95) == .tooSlow)
    // within 1.5× the other's time: a 10 % slower program passes.
    let slower = Series(Self.steady.seconds.map { $0 * 1.1 })
    #expect(TimingDecision.judge(subject: slower, other: Self.steady, minimumSpeedup: 1 / 1.5, confidence: 0.95) == .passed)
  }

  /// The failure that made CI red: a noisy but clearly faster submission (IQR a quarter
  /// of the median) against a bound it beats by far is decided, not called noise.
  @Test func aNoisySubmissionFarBeyondTheBoundPasses() {
    let subject = Series([0.049, 0.055, 0.071, 0.043, 0.058, 0.052, 0.066])
    let other = Series([0.772, 0.781, 0.760, 0.775, 0.790, 0.768, 0.770])
    #expect(subject.spread > 0.2)
    #expect(TimingDecision.judge(subject: subject, other: other, minimumSpeedup: 5, confidence: 0.95) == .passed)
  }

  @Test func aRatioTheIntervalCouldTipEitherWayIsUndecided() {
    // Medians give exactly 3×, and the interval holds 3.
    let subject = Series([0.95, 1.0, 1.05, 1.0, 0.97, 1.03, 1.0])
    let other = Series(subject.seconds.map { $0 * 3 })
    guard case .undecided(let why) = TimingDecision.judge(subject: subject, other: other, minimumSpeedup: 3, confidence: 0.95)
    else { Issue.record("a borderline ratio got a verdict"); return }
    #expect(why.contains("95 % confidence interval") && why.contains("still holds the bound"))
    let tooFew = TimingDecision.judge(subject: Series([1, 1, 1]), other: Series([9, 9, 9]), minimumSpeedup: 3, confidence: 0.95)
    #expect(tooFew == .undecided("too few runs for a 95 % confidence interval"))
  }

  // MARK: Simulated timings

  /// A seeded generator, so the simulation gives the same counts on every machine.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Runs the default procedure `trials` times on simulated programs and counts
  /// its verdicts, with how many runs each took.
  static func simulate(
    trials: Int, minimumSpeedup: Double, seed: UInt64,
    subject: @escaping (inout SplitMix64) -> Double, other: @escaping (inout SplitMix64) -> Double
  ) -> (passed: Int, tooSlow: Int, undecided: Int, runs: [Int]) {
    var generator = SplitMix64(state: seed)
    let procedure = TimingProcedure(
      runs: TimingSpec.defaultRuns, maxRuns: TimingSpec.defaultMaxRuns, minimumSpeedup: minimumSpeedup,
      confidence: TimingSpec.defaultConfidence)
    var counts = (passed: 0, tooSlow: 0, undecided: 0, runs: [Int]())
    for _ in 0..<trials {
      let (s, _, decision) = procedure.measure { $0 ? subject(&generator) : other(&generator) }
      counts.runs.append(s.count)
      switch decision {
      case .passed: counts.passed += 1
      case .tooSlow: counts.tooSlow += 1
      case .undecided: counts.undecided += 1
      }
    }
    return counts
  }

  /// A program that sleeps a random 0–200 ms against a steady 100 ms one: the true
  /// ratio of medians is 1. "At least as fast" sits right on it, and "at least
  /// 1.25× faster" is false: luck must not pass either.
  @Test func aRandomSleeperDoesNotPassATightBoundByLuck() {
    let sleeper = { (g: inout SplitMix64) in Double.random(in: 0...0.2, using: &g) }
    let steady = { (g: inout SplitMix64) in 0.1 * Double.random(in: 0.99...1.01, using: &g) }
    let atTheBound = Self.simulate(trials: 2000, minimumSpeedup: 1, seed: 1, subject: sleeper, other: steady)
    // A 95 % interval errs by at most 2.5 % on each side at one look; looking again
    // after every pair, up to 15 times, adds a little (2.7 % in this simulation).
    #expect(atTheBound.passed <= 60, "passed \(atTheBound.passed) of 2000 on a ratio that only equals the bound")
    #expect(atTheBound.tooSlow <= 60)
    #expect(atTheBound.undecided >= 1880)
    let beyond = Self.simulate(trials: 2000, minimumSpeedup: 1.25, seed: 2, subject: sleeper, other: steady)
    #expect(beyond.passed <= 10, "passed \(beyond.passed) of 2000 on a bound the program does not meet")
  }

  /// Clear cases need no more than the first look, noisy or not.
  @Test func clearCasesAreDecidedAtTheFirstLook() {
    // A noisy submission (±25 %) 14× faster than a steady baseline, bound 5×.
    let noisy = { (g: inout SplitMix64) in 0.055 * Double.random(in: 0.75...1.25, using: &g) }
    let baseline = { (g: inout SplitMix64) in 0.772 * Double.random(in: 0.97...1.03, using: &g) }
    let fast = Self.simulate(trials: 500, minimumSpeedup: 5, seed: 3, subject: noisy, other: baseline)
    #expect(fast.passed == 500)
    #expect(fast.runs.allSatisfy { $0 == TimingSpec.defaultRuns })
    // The same submission, 14× faster, against a bound of 20×: too slow, at once.
    let short = Self.simulate(trials: 500, minimumSpeedup: 20, seed: 4, subject: noisy, other: baseline)
    #expect(short.tooSlow == 500)
    #expect(short.runs.allSatisfy { $0 == TimingSpec.defaultRuns })
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
