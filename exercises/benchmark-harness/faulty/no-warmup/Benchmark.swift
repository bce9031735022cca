// Mistake: no warm-up runs, so a slow first call lands among the timed ones.

import Foundation

func measure(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
  let clock = ContinuousClock()
  var times: [Double] = []
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
