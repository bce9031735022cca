// Mistake: the second array starts as zeros, so after the first swap the boundary the field should keep is 0 instead of its fixed values.
import Foundation

func diffuse(_ u: inout [Double], size n: Int, steps: Int, alpha: Double, threads: Int) {
  var next = [Double](repeating: 0, count: n * n)
  let interiorRows = n - 2
  let bands = max(1, min(threads, interiorRows))
  for _ in 0..<steps {
    u.withUnsafeBufferPointer { old in
      next.withUnsafeMutableBufferPointer { new in
        DispatchQueue.concurrentPerform(iterations: bands) { band in
          let first = 1 + interiorRows * band / bands
          let last = 1 + interiorRows * (band + 1) / bands
          for i in first..<last {
            for j in 1..<(n - 1) {
              let k = i * n + j
              new[k] = old[k] + alpha * (old[k + n] + old[k - n] + old[k + 1] + old[k - 1] - 4 * old[k])
            }
          }
        }
      }
    }
    swap(&u, &next)
  }
}
