// Mistake: each band's rows are a closed range first...last, so the last row of one band is also the first row of the next: two threads write the same points (same values, so the numbers look right, but it is a data race).
import Foundation

func diffuse(_ u: inout [Double], size n: Int, steps: Int, alpha: Double, threads: Int) {
  var next = u
  let interiorRows = n - 2
  let rowsPerBand = (interiorRows + threads - 1) / threads
  for _ in 0..<steps {
    u.withUnsafeBufferPointer { old in
      next.withUnsafeMutableBufferPointer { new in
        DispatchQueue.concurrentPerform(iterations: threads) { band in
          let first = 1 + band * rowsPerBand
          let last = min(first + rowsPerBand, n - 2)
          guard first <= last else { return }
          for i in first...last {
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
