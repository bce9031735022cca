/// Pairs expected lines with got lines regardless of order, for `unordered` comparison.
///
/// A naive all-pairs scan is quadratic, which for a few thousand lines of output is
/// already tens of seconds; instead three passes each narrow the candidates by what must
/// be equal anyway:
/// 1. identical lines, by hashing (most lines of a correct answer);
/// 2. lines with the same text and integers (integers compare exactly), where only reals
///    differ: found by binary search on the first real within its tolerance window;
/// 3. lines spelling some number as an integer on one side and as a real on the other
///    (`3` vs `3.0`), which pass 2 keeps apart: a scan over just those.
/// Pass 2 visits expected lines in order of that first real and takes the lowest
/// candidate, which pairs optimally when tolerance windows overlap in one dimension;
/// the greedy choice can still miss a pairing in contrived multi-number cases.
enum UnorderedMatching {
  /// Expected lines with no partner (in line order) and indices of unpaired got lines.
  static func match(
    got: [TokenizedLine], expected: [TokenizedLine], _ tolerance: Tolerance
  ) -> (missing: [TokenizedLine], extra: [Int]) {
    var used = [Bool](repeating: false, count: got.count)

    // 1. Identical lines.
    var exact: [Key: [Int]] = [:]
    for (i, line) in got.enumerated() { exact[Key(line, reals: .exact), default: []].append(i) }
    var cursor: [Key: Int] = [:]
    var unmatched: [TokenizedLine] = []
    for line in expected {
      let key = Key(line, reals: .exact)
      let next = cursor[key, default: 0]
      if let candidates = exact[key], next < candidates.count {
        used[candidates[next]] = true
        cursor[key] = next + 1
      } else {
        unmatched.append(line)
      }
    }

    // 2. Same text and integers; reals within tolerance.
    var families: [Key: Family] = [:]
    for (i, line) in got.enumerated() where !used[i] {
      families[Key(line, reals: .wildcard), default: Family()].add(i, firstReal(of: line))
    }
    for key in families.keys { families[key]?.sort() }
    var stillUnmatched: [TokenizedLine] = []
    let byFirstReal = unmatched.sorted { (firstReal(of: $0) ?? .infinity) < (firstReal(of: $1) ?? .infinity) }
    for line in byFirstReal {
      let key = Key(line, reals: .wildcard)
      let taken = families[key]?.take(near: firstReal(of: line), tolerance) {
        !used[$0] && OutputComparison.linesMatch(got[$0], line, tolerance)
      }
      if let i = taken { used[i] = true } else { stillUnmatched.append(line) }
    }

    // 3. Same text, numbers written as integer on one side and real on the other.
    var bySignature: [[String]: [Key: [Int]]] = [:]
    for (i, line) in got.enumerated() where !used[i] {
      bySignature[line.skeleton, default: [:]][Key(line, reals: .kindOnly), default: []].append(i)
    }
    var missing: [TokenizedLine] = []
    for line in stillUnmatched.sorted(by: { $0.number < $1.number }) {
      let own = Key(line, reals: .kindOnly)
      let others = (bySignature[line.skeleton] ?? [:]).filter { $0.key != own }.values.joined()
      if let i = others.first(where: { !used[$0] && OutputComparison.linesMatch(got[$0], line, tolerance) }) {
        used[i] = true
      } else {
        missing.append(line)
      }
    }
    return (missing, got.indices.filter { !used[$0] })
  }

  /// The value that pass 2 sorts and searches by; nil when the line has no real number.
  private static func firstReal(of line: TokenizedLine) -> Double? {
    line.numbers.first { $0.integer == nil }?.value
  }

  /// The skeleton plus the numbers, with reals represented as `reals` says.
  private struct Key: Hashable {
    enum Reals { case exact, wildcard, kindOnly }

    var skeleton: [String]
    var numbers: [String]

    init(_ line: TokenizedLine, reals: Reals) {
      skeleton = line.skeleton
      numbers = line.numbers.map { n in
        switch (reals, n.integer) {
        case (.kindOnly, .some): "i"
        case (_, .some(let integer)): "i" + integer
        case (.exact, nil): n.value.isNaN ? "nan" : "r\(n.value)"
        case (_, nil): "r"
        }
      }
    }
  }

  /// The got lines of one pass-2 key, searchable by their first real.
  private struct Family {
    var finite: [(value: Double, index: Int)] = []
    /// Lines whose first real is nan or inf, or that have no real at all: few, scanned.
    var rest: [Int] = []
    /// For each position in `finite`, a position at or after it that is not yet taken
    /// (union-find with path halving), so taken lines cost nothing to skip.
    private var nextFree: [Int] = []

    mutating func add(_ index: Int, _ value: Double?) {
      if let value, value.isFinite { finite.append((value, index)) } else { rest.append(index) }
    }

    mutating func sort() {
      finite.sort { $0.value < $1.value }
      nextFree = Array(0...finite.count)
    }

    /// Takes and returns the lowest line that `accepts` among those whose first real
    /// `tolerance` could accept for `expected`.
    mutating func take(near expected: Double?, _ tolerance: Tolerance, accepts: (Int) -> Bool) -> Int? {
      guard let expected, expected.isFinite else { return rest.first(where: accepts) }
      let allowed = tolerance.allowance(for: expected)
      // Wider than `Tolerance.accepts` ever is, including its rounding slack.
      let window = allowed + 8 * max((abs(expected) + allowed).ulp, allowed.ulp)
      var low = 0
      var high = finite.count
      while low < high {
        let mid = (low + high) / 2
        if finite[mid].value < expected - window { low = mid + 1 } else { high = mid }
      }
      var position = free(from: low)
      while position < finite.count, finite[position].value <= expected + window {
        if accepts(finite[position].index) {
          nextFree[position] = position + 1
          return finite[position].index
        }
        position = free(from: position + 1)
      }
      return nil
    }

    private mutating func free(from position: Int) -> Int {
      var p = position
      while nextFree[p] != p {
        nextFree[p] = nextFree[nextFree[p]]
        p = nextFree[p]
      }
      return p
    }
  }
}
