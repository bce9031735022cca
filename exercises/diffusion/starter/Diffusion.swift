import Foundation

/// Advances the field `u` (n × n points, row by row: point (i, j) at i·n + j) by
/// `steps` explicit diffusion steps,
///
///     new(i, j) = u(i, j) + α·(u(i+1, j) + u(i−1, j) + u(i, j+1) + u(i, j−1) − 4·u(i, j)),
///
/// on the interior points (1 ≤ i, j ≤ n − 2); the boundary rows and columns keep
/// their values. `threads` is the number of threads to compute each step with.
func diffuse(_ u: inout [Double], size n: Int, steps: Int, alpha: Double, threads: Int) {
  // TODO 1: a second array for the new values. Every point of a step must be computed
  //         from the *old* field, so do not write into `u` while you still read it.
  for _ in 0..<steps {
    // TODO 2: compute the new value of every interior point, from `u`, into the
    //         second array; leave the boundary alone.
    // TODO 3: make the new field the current one (swap(&a, &b) is cheap for arrays).
  }
  // TODO 4: once part 1 gives the right numbers, split each step's interior rows
  //         into `threads` bands and compute the bands on `threads` threads, e.g.
  //         with DispatchQueue.concurrentPerform(iterations: threads) { band in … }.
}
