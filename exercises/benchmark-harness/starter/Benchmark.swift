import Foundation

/// Runs `body` `warmup` times untimed, then `repeats` times timed, and returns the
/// median and the minimum of the timed runs in seconds.
func measure(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
  // TODO: warm up, time each of the `repeats` runs with a monotonic clock
  // (ContinuousClock), and return the median and the minimum.
  // This version times one run and reports it as both.
  let start = Date()
  body()
  let seconds = Date().timeIntervalSince(start)
  return (seconds, seconds)
}
