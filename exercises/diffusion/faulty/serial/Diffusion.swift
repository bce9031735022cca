// Mistake: ignores `threads` and computes every step on the calling thread: right numbers, no speed-up from a second core.
import Foundation

func diffuse(_ u: inout [Double], size n: Int, steps: Int, alpha: Double, threads: Int) {
  var next = u
  for _ in 0..<steps {
    u.withUnsafeBufferPointer { old in
      next.withUnsafeMutableBufferPointer { new in
        for i in 1..<(n - 1) {
          for j in 1..<(n - 1) {
            let k = i * n + j
            new[k] = old[k] + alpha * (old[k + n] + old[k - n] + old[k + 1] + old[k - 1] - 4 * old[k])
          }
        }
      }
    }
    swap(&u, &next)
  }
}
