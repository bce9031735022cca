// Mistake: the unrolled loop stops at the last full group of four and forgets the
// remaining elements. Right whenever the length is a multiple of four.

/// Sum of all elements.
func sum(_ a: [Double]) -> Double {
  a.withUnsafeBufferPointer { p in
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= p.count {
      s0 += p[i]
      s1 += p[i + 1]
      s2 += p[i + 2]
      s3 += p[i + 3]
      i += 4
    }
    return (s0 + s1) + (s2 + s3)
  }
}

/// Element-wise a + b.
func add(_ a: [Double], _ b: [Double]) -> [Double] {
  [Double](unsafeUninitializedCapacity: a.count) { out, initialized in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        for i in 0..<pa.count { out[i] = pa[i] + pb[i] }
      }
    }
    initialized = a.count
  }
}
