/// Compares a program's output with the expected output, token by token.
///
/// Text must match exactly (whitespace runs collapsed, see `OutputTokenizer`), integers exactly,
/// and real numbers within `Tolerance`; a number written as an integer on one side and as
/// a real on the other (`3` vs `3.0`) is compared as a real.
public enum OutputComparison {
  /// Nil when `got` matches `expected`; otherwise the first problem and up to
  /// `Mismatch.detailLimit` more.
  ///
  /// - Parameters:
  ///   - unordered: compare lines as a multiset, for output whose line order races
  ///     between ranks; each line must still match a line as a whole.
  ///   - label: what the output is (`rank 0`, `merged output`), the start of every line.
  public static func compare(
    got: String, expected: String, tolerance: Tolerance, unordered: Bool = false, label: String
  ) -> Mismatch? {
    let gotLines = OutputTokenizer.lines(of: got)
    let expectedLines = OutputTokenizer.lines(of: expected)
    return unordered
      ? compareUnordered(gotLines, expectedLines, tolerance, label)
      : compareOrdered(gotLines, expectedLines, tolerance, label)
  }

  // MARK: - Ordered

  /// Lines that agree from the top and from the bottom are set aside first, so one
  /// missing or extra line in the middle is reported as exactly that rather than as a
  /// cascade of shifted mismatches; what remains is compared pairwise.
  private static func compareOrdered(
    _ got: [TokenizedLine], _ expected: [TokenizedLine], _ tolerance: Tolerance, _ label: String
  ) -> Mismatch? {
    let n = got.count
    let m = expected.count
    var prefix = 0
    while prefix < min(n, m), linesMatch(got[prefix], expected[prefix], tolerance) { prefix += 1 }
    if prefix == n, n == m { return nil }
    var suffix = 0
    while suffix < min(n, m) - prefix, linesMatch(got[n - 1 - suffix], expected[m - 1 - suffix], tolerance) {
      suffix += 1
    }
    let gotMiddle = got[prefix..<(n - suffix)]
    let expectedMiddle = expected[prefix..<(m - suffix)]

    var findings: [JudgeFinding] = []
    for (g, e) in zip(gotMiddle, expectedMiddle) {
      for problem in lineProblems(got: g, expected: e, tolerance) {
        let location = "line \(e.number)" + (problem.number.map { ", number \($0)" } ?? "")
        findings.append(JudgeFinding(location: location, body: problem.body))
      }
    }
    let paired = min(gotMiddle.count, expectedMiddle.count)
    let missing = expectedMiddle.dropFirst(paired).map {
      JudgeFinding(location: "line \($0.number)", body: "missing line \(JudgeFormat.quote($0.text))")
    }
    let extra = gotMiddle.dropFirst(paired).map {
      JudgeFinding(location: "line \($0.number)", body: "extra line \(JudgeFormat.quote($0.text))")
    }

    let message: String
    var further: [JudgeFinding]
    if n != m {
      // Exactly one side has leftovers; the first of them is the headline.
      let (kind, line) = n < m ? ("missing", expectedMiddle[prefix + paired]) : ("extra", gotMiddle[prefix + paired])
      let count = "got \(JudgeFormat.plural(n, "line")), expected \(m)"
      let first = "first \(kind) is line \(line.number): \(JudgeFormat.quote(line.text))"
      message = JudgeFinding(location: "", body: "\(count); \(first)").rendered(label: label)
      further = findings + missing.dropFirst() + extra.dropFirst()
    } else {
      further = findings
      message = further.removeFirst().rendered(label: label)
    }
    return Mismatch(message: message, further: further, label: label)
  }

  // MARK: - Unordered

  private static func compareUnordered(
    _ got: [TokenizedLine], _ expected: [TokenizedLine], _ tolerance: Tolerance, _ label: String
  ) -> Mismatch? {
    let (missing, extra) = UnorderedMatching.match(got: got, expected: expected, tolerance)
    guard !missing.isEmpty || !extra.isEmpty else { return nil }
    let leftovers = Dictionary(grouping: extra) { got[$0].skeleton }

    // Only the findings that will be shown get a (costly) closest line.
    let shown = Mismatch.detailLimit + 1
    var findings = missing.enumerated().map { position, line in
      var body = "expected line \(line.number) \(JudgeFormat.quote(line.text)) has no match in any order"
      if position < shown, let (near, number, problem) = closest(to: line, among: leftovers[line.skeleton] ?? [], got, tolerance) {
        body += "; closest is line \(near), number \(number): \(problem)"
      }
      return JudgeFinding(location: "", body: body)
    }
    findings += extra.map {
      JudgeFinding(location: "", body: "got line \(got[$0].number) \(JudgeFormat.quote(got[$0].text)) matches no expected line")
    }

    let first = findings.removeFirst()
    let message =
      got.count == expected.count
      ? first.rendered(label: label)
      : JudgeFinding(
        location: "", body: "got \(JudgeFormat.plural(got.count, "line")), expected \(expected.count); \(first.body)"
      ).rendered(label: label)
    return Mismatch(message: message, further: findings, label: label)
  }

  /// Among unpaired got lines with the same text, the one with the fewest bad numbers
  /// (first of equals, at most 200 looked at), and its first bad number.
  private static func closest(
    to line: TokenizedLine, among candidates: [Int], _ got: [TokenizedLine], _ tolerance: Tolerance
  ) -> (line: Int, number: Int, problem: String)? {
    var best: (line: Int, number: Int, problem: String, count: Int)?
    for i in candidates.prefix(200) {
      let problems = lineProblems(got: got[i], expected: line, tolerance)
      guard let first = problems.first, let number = first.number else { continue }
      if best == nil || problems.count < best!.count {
        best = (got[i].number, number, first.body, problems.count)
      }
    }
    return best.map { ($0.line, $0.number, $0.problem) }
  }

  // MARK: - Lines and numbers

  static func linesMatch(_ got: TokenizedLine, _ expected: TokenizedLine, _ tolerance: Tolerance) -> Bool {
    guard got.tokens.count == expected.tokens.count else { return false }
    for (g, e) in zip(got.tokens, expected.tokens) {
      switch (g, e) {
      case (.text(let a), .text(let b)) where a == b: continue
      case (.number(let a), .number(let b)) where numberProblem(got: a, expected: b, tolerance) == nil: continue
      default: return false
      }
    }
    return true
  }

  /// A line's problems: one whole-line problem (`number` nil) when its shape or text
  /// differs, since then its numbers are not comparable; otherwise one per bad number,
  /// numbered from 1 among the line's numbers.
  static func lineProblems(
    got: TokenizedLine, expected: TokenizedLine, _ tolerance: Tolerance
  ) -> [(number: Int?, body: String)] {
    let gotNumbers = got.numbers
    let expectedNumbers = expected.numbers
    if gotNumbers.count != expectedNumbers.count {
      let (g, e) = JudgeFormat.quotePair(got.text, expected.text)
      let counts = "got \(JudgeFormat.plural(gotNumbers.count, "number")), expected \(expectedNumbers.count)"
      return [(nil, "\(counts) (got \(g), expected \(e))")]
    }
    if got.skeleton != expected.skeleton {
      let (g, e) = JudgeFormat.quotePair(got.text, expected.text)
      return [(nil, "got \(g), expected \(e)")]
    }
    return zip(gotNumbers, expectedNumbers).enumerated().compactMap { index, pair in
      numberProblem(got: pair.0, expected: pair.1, tolerance).map { (index + 1, $0) }
    }
  }

  /// Nil when the numbers match; else `got X, expected Y` plus why, quoting both as written.
  static func numberProblem(got: NumberToken, expected: NumberToken, _ tolerance: Tolerance) -> String? {
    let values = "got \(got.text), expected \(expected.text)"
    if let g = got.integer, let e = expected.integer { return g == e ? nil : values }
    if tolerance.accepts(got: got.value, expected: expected.value) { return nil }
    if !got.value.isFinite || !expected.value.isFinite {
      return "\(values) (nan and inf match only themselves)"
    }
    let (delta, allowed) = JudgeFormat.compactPair(
      abs(got.value - expected.value), tolerance.allowance(for: expected.value))
    return "\(values) (|Δ| \(delta) > tol \(allowed))"
  }
}
