import Foundation

// Trusted harness: runs the submission's `measure` on workloads whose durations are
// known, and prints what it reported next to what is true. Its helpers are private so
// that they cannot clash with names in the submission.

/// Seconds, monotonic, for the harness's own reference timings.
private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
private func pause(_ seconds: Double) { usleep(UInt32(seconds * 1e6)) }
private func show(_ value: Double) -> String { String(format: "%.4f", value) }
private var orderedEverywhere = true
private func record(_ result: (median: Double, minimum: Double)) {
  if !(result.minimum <= result.median) { orderedEverywhere = false }
}

// 1. A steady 20 ms workload: median and minimum are both about 0.020 s.
private var calls = 0
private let steady = measure(warmup: 2, repeats: 5) {
  calls += 1
  pause(0.020)
}
record(steady)
print("steady 20 ms: median \(show(steady.median)) s, minimum \(show(steady.minimum)) s")
print("calls: \(calls) (2 warm-up + 5 timed)")

// 2. A slow start: the first two calls take 300 ms (a cold cache, lazy loading,
// a first page fault on every page), then 10 ms. With the warm-up excluded the
// median is 0.010 s.
private var started = 0
private let slowStart = measure(warmup: 2, repeats: 3) {
  started += 1
  pause(started <= 2 ? 0.300 : 0.010)
}
record(slowStart)
print("slow start: median \(show(slowStart.median)) s")

// 3. One outlier among the timed calls (the machine was busy once): the median
// ignores it, a mean would not.
private var timedCalls = 0
private let outlier = measure(warmup: 0, repeats: 5) {
  timedCalls += 1
  pause(timedCalls == 3 ? 0.200 : 0.010)
}
record(outlier)
print("one outlier: median \(show(outlier.median)) s, minimum \(show(outlier.minimum)) s")

// 4. Five different durations in no particular order: median 30 ms, minimum 10 ms.
// Neither the first, the last nor the middle call takes 30 ms, and the mean is 40 ms.
private let durations = [0.040, 0.010, 0.100, 0.030, 0.020]
private var spreadCalls = 0
private let spread = measure(warmup: 0, repeats: 5) {
  pause(durations[spreadCalls % durations.count])
  spreadCalls += 1
}
record(spread)
print("spread: median \(show(spread.median)) s, minimum \(show(spread.minimum)) s")

// 5. A busy loop, timed by the harness too: the ratio of the two medians is about 1.
private var sink = 0.0
private let work = {
  var x = 0.0
  for i in 0..<3_000_000 { x += Double(i & 7) * 0.5 }
  sink += x
}
private let reported = measure(warmup: 1, repeats: 5, work)
record(reported)
private var own: [Double] = []
for _ in 0..<5 {
  let start = now()
  work()
  own.append(now() - start)
}
private let ownMedian = own.sorted()[2]
print("busy loop: reported/own median \(String(format: "%.2f", reported.median / ownMedian))")
print("minimum <= median: \(orderedEverywhere ? "always" : "NOT always")")
if sink < 0 { print(sink) }  // keeps the loop from being optimised away
