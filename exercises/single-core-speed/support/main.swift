import Foundation

// Trusted harness: builds the inputs, checks the submission's kernels and times them
// itself (one untimed warm-up call, then the median of three timed calls, on a
// monotonic clock), so the times cannot be made up.
private let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000
// Deterministic inputs with no zeros, so even a one-element array tests something.
private let a = (0..<n).map { Double($0 % 1000 + 1) * 0.001 }
private let b = (0..<n).map { Double(($0 * 7) % 1000 + 1) * 0.002 }

/// Median seconds of `repeats` calls after one untimed call, and the last result.
private func timed<R>(repeats: Int = 3, _ body: () -> R) -> (seconds: Double, result: R) {
  var result = body()
  let clock = ContinuousClock()
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = clock.now
    result = body()
    let d = start.duration(to: clock.now)
    times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
  }
  return (times.sorted()[times.count / 2], result)
}

private let (sumTime, total) = timed { sum(a) }
private let (addTime, c) = timed { add(a, b) }
guard c.count == n else {
  print("add returned \(c.count) values for \(n) inputs")
  exit(1)
}
// A weighted checksum notices a value in the wrong place, not only a wrong total.
private var checksum = 0.0
for (i, x) in c.enumerated() { checksum += x * Double(i % 3 + 1) }
print("n: \(n)")
print("sum: \(total)")
if let first = c.first, let last = c.last {
  print("add: first \(first), last \(last), weighted checksum \(checksum)")
} else {
  print("add: empty")
}
print("sum time: \(sumTime) s")
print("add time: \(addTime) s")
print("kernel time: \(sumTime + addTime) s")
