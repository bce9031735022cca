import Foundation

/// Advances the field `u` (n × n points, row by row: point (i, j) at i·n + j) by
/// `steps` explicit diffusion steps,
///
///     new(i, j) = u(i, j) + α·(u(i+1, j) + u(i−1, j) + u(i, j+1) + u(i, j−1) − 4·u(i, j)),
///
/// on the interior points; the boundary rows and columns keep their values. Each
/// step's interior rows are split into `threads` contiguous bands, one per thread.
func diffuse(_ u: inout [Double], size n: Int, steps: Int, alpha: Double, threads: Int) {
  // Every step reads only `u` and writes only `next`, so the threads never touch
  // a point another thread writes. Starting `next` as a copy gives it the boundary
  // values, which no step overwrites: after each swap both arrays still hold them.
  var next = u
  let interiorRows = n - 2
  let bands = max(1, min(threads, interiorRows))
  for _ in 0..<steps {
    u.withUnsafeBufferPointer { old in
      next.withUnsafeMutableBufferPointer { new in
        // Band b gets interior rows [first, last): the bands tile 1..<n-1 exactly,
        // with no row left out and none computed twice.
        DispatchQueue.concurrentPerform(iterations: bands) { band in
          let first = 1 + interiorRows * band / bands
          let last = 1 + interiorRows * (band + 1) / bands
          for i in first..<last {
            let row = i * n
            for j in 1..<(n - 1) {
              let k = row + j
              let centre = old[k]
              new[k] = centre + alpha * (old[k + n] + old[k - n] + old[k + 1] + old[k - 1] - 4 * centre)
            }
          }
        }
      }
    }
    // concurrentPerform returns only when every band is done: the step is complete.
    swap(&u, &next)
  }
}
