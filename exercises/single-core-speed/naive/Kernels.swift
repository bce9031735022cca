// The first version that comes to mind when writing Swift like a scripting language.
// Each line is natural; together they cost a lot.

/// Sum of all elements.
func sum(_ a: [Double]) -> Double {
  // Every element goes through an `Any` box and a dynamic cast back.
  let values: [Any] = a.map { $0 }
  var total = 0.0
  for value in values {
    total += value as! Double
  }
  return total
}

/// Element-wise a + b.
func add(_ a: [Double], _ b: [Double]) -> [Double] {
  // A temporary array of pairs, then a small array per element to reduce.
  Array(zip(a, b)).map { pair in [pair.0, pair.1].reduce(0, +) }
}
