// Mistake: the boxing is gone, but each call still builds temporary arrays (a copy
// for `map`, an index array, bounds-checked lookups): faster than the naive version,
// far from what one pass over memory costs.

/// Sum of all elements.
func sum(_ a: [Double]) -> Double {
  a.map { $0 }.filter { _ in true }.reduce(0, +)
}

/// Element-wise a + b.
func add(_ a: [Double], _ b: [Double]) -> [Double] {
  Array(a.indices).map { i in a[i] }.enumerated().map { i, x in x + b[i] }
}
