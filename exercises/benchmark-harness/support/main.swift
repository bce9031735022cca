import Foundation

// Trusted harness: runs the submission's `measure` on workloads whose durations are
// known, and prints what it reported next to what is true.

/// Seconds, monotonic, for the harness's own reference timings.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func sleep(seconds: Double) { usleep(UInt32(seconds * 1e6)) }

func show(_ value: Double) -> String { String(format: "%.4f", value) }

// 1. A steady 20 ms workload: median and minimum are both about 0.020 s.
var calls = 0
let steady = measure(warmup: 2, repeats: 5) {
  calls += 1
  sleep(seconds: 0.020)
}
print("steady 20 ms: median \(show(steady.median)) s, minimum \(show(steady.minimum)) s")
print("calls: \(calls) (2 warm-up + 5 timed)")

// 2. A slow start: the first two calls take 300 ms (a cold cache, a JIT, lazy
// loading), then 10 ms. With the warm-up excluded the median is 0.010 s.
var started = 0
let slowStart = measure(warmup: 2, repeats: 3) {
  started += 1
  sleep(seconds: started <= 2 ? 0.300 : 0.010)
}
print("slow start: median \(show(slowStart.median)) s")

// 3. One outlier among the timed calls (the machine was busy once): the median
// ignores it, a mean would not.
var timedCalls = 0
let outlier = measure(warmup: 0, repeats: 5) {
  timedCalls += 1
  sleep(seconds: timedCalls == 3 ? 0.200 : 0.010)
}
print("one outlier: median \(show(outlier.median)) s, minimum \(show(outlier.minimum)) s")

// 4. A busy loop, timed by the harness too: the ratio of the two medians is about 1.
var sink = 0.0
let work = {
  var x = 0.0
  for i in 0..<3_000_000 { x += Double(i & 7) * 0.5 }
  sink += x
}
let reported = measure(warmup: 1, repeats: 5, work)
var own: [Double] = []
for _ in 0..<5 {
  let start = now()
  work()
  own.append(now() - start)
}
let ownMedian = own.sorted()[2]
print("busy loop: reported/own median \(String(format: "%.2f", reported.median / ownMedian))")
if sink < 0 { print(sink) }  // keeps the loop from being optimised away
