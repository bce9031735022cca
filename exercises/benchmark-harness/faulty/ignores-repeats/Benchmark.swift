// Mistake: the warm-up is done, but then a single timed run stands for all of them.

import Foundation

func measure(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
  for _ in 0..<warmup { body() }
  let clock = ContinuousClock()
  let start = clock.now
  body()
  let elapsed = start.duration(to: clock.now)
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  return (seconds, seconds)
}
