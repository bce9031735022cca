// Mistake: the mean instead of the median, so one slow run moves the result; and the
// wall clock (Date), which can jump while it measures.

import Foundation

func measure(warmup: Int, repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
  for _ in 0..<warmup { body() }
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = Date()
    body()
    times.append(Date().timeIntervalSince(start))
  }
  return (times.reduce(0, +) / Double(times.count), times.min()!)
}
