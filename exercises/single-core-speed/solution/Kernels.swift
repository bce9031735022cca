/// Sum of all elements: one pass over contiguous memory with four independent
/// accumulators. A single accumulator makes every addition wait for the previous one;
/// four let the CPU keep several additions in flight, and the compiler can map them
/// onto vector registers.
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
    while i < p.count {  // the 0–3 elements left over
      s0 += p[i]
      i += 1
    }
    return (s0 + s1) + (s2 + s3)
  }
}

/// Element-wise a + b, written straight into a result allocated once, without
/// zeroing it first.
func add(_ a: [Double], _ b: [Double]) -> [Double] {
  precondition(a.count == b.count, "add needs arrays of the same length")
  return [Double](unsafeUninitializedCapacity: a.count) { out, initialized in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        for i in 0..<pa.count { out[i] = pa[i] + pb[i] }
      }
    }
    initialized = a.count
  }
}
