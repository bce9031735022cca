import Foundation

// Trusted harness: builds the initial field, calls the submission's `diffuse` once,
// then prints a summary of the result. The thread count comes from HPCGRADE_THREADS
// (2 when run by hand); the grid size and step count from the arguments
// (default: 2000 × 2000, 60 steps).
let arguments = CommandLine.arguments.dropFirst().map { Int($0) }
guard arguments.allSatisfy({ $0 != nil }), arguments.count <= 2 else {
  print("usage: diffusion [size] [steps]")
  exit(2)
}
let n = arguments.count > 0 ? arguments[0]! : 2000
let steps = arguments.count > 1 ? arguments[1]! : 60
let threads = max(1, Int(ProcessInfo.processInfo.environment["HPCGRADE_THREADS"] ?? "") ?? 2)
let alpha = 0.2
guard n >= 3, steps >= 0 else {
  print("the grid needs at least 3 × 3 points and the step count must not be negative")
  exit(2)
}

/// The starting field, row by row (point (i, j) at index i·n + j): a hot wall along
/// the top (1.0) and a warm one on the left (0.5), both held fixed, a hot block
/// (1.0) off-centre, and 0 everywhere else.
func initialField(_ n: Int) -> [Double] {
  var u = [Double](repeating: 0, count: n * n)
  for i in n / 4..<n / 2 {
    for j in n / 3..<2 * n / 3 { u[i * n + j] = 1.0 }
  }
  for i in 1..<n { u[i * n] = 0.5 }
  for j in 0..<n { u[j] = 1.0 }
  return u
}

var u = initialField(n)
let clock = ContinuousClock()
let start = clock.now
diffuse(&u, size: n, steps: steps, alpha: alpha, threads: threads)
let elapsed = start.duration(to: clock.now)

guard u.count == n * n else {
  print("diffuse left \(u.count) values in a field of \(n) × \(n) = \(n * n)")
  exit(1)
}

// A summary that changes when any part of the field is wrong: totals, a
// position-weighted total, and single points near the walls and the block.
var sum = 0.0, squares = 0.0, weighted = 0.0
for i in 0..<n {
  for j in 0..<n {
    let x = u[i * n + j]
    sum += x
    squares += x * x
    weighted += x * Double(1 + (7 * i + 13 * j) % 17)
  }
}
let probes = [(0, n / 2), (1, n / 2), (2, 1), (n / 2, 1), (n / 4, n / 2), (n / 2 - 1, n / 3), (n / 2, n / 2), (n / 2 + 1, n / 3 - 1)]
print("grid \(n) x \(n), \(steps) steps, alpha \(alpha)")
print(String(format: "sum: %.15e", sum))
print(String(format: "sum of squares: %.15e", squares))
print(String(format: "weighted sum: %.15e", weighted))
for (i, j) in probes {
  print(String(format: "u[%d][%d] = %.15e", i, j, u[i * n + j]))
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
FileHandle.standardError.write(String(format: "stencil time: %.4f s with %d thread(s)\n", seconds, threads).data(using: .utf8)!)
