import Foundation

/// Runs `body` `warmup` times untimed, then `repeats` times timed, and returns the
/// median and the minimum of the timed runs in seconds.
///
/// The warm-up keeps one-time costs (first touch of memory, lazy initialisation)
/// out of the result. The median is what a typical run costs, whatever one slow run
/// did; the minimum is the closest to the cost with no interference at all.
/// `ContinuousClock` never jumps when the wall clock is adjusted, unlike `Date()`.
func measure(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
  precondition(repeats > 0, "measure needs at least one timed run")
  for _ in 0..<warmup { body() }
  let clock = ContinuousClock()
  var times: [Double] = []
  times.reserveCapacity(repeats)
  for _ in 0..<repeats {
    let start = clock.now
    body()
    let elapsed = start.duration(to: clock.now)
    times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
  }
  times.sort()
  let middle = times.count / 2
  let median = times.count.isMultiple(of: 2) ? (times[middle - 1] + times[middle]) / 2 : times[middle]
  return (median, times[0])
}
