/// A number as the student printed it.
struct NumberToken: Sendable, Equatable, CustomStringConvertible {
  /// The text as written, so messages quote the student and not a re-rendering.
  var text: String
  var value: Double
  /// Sign and digits without leading zeros when written as an integer (no `.`, no
  /// exponent), so integers of any length compare exactly; nil for reals, nan and inf.
  var integer: String?

  var description: String { text }

  /// By text: `value` and `integer` derive from it, and NaN would make `==` irreflexive.
  static func == (a: NumberToken, b: NumberToken) -> Bool { a.text == b.text }
}

enum OutputToken: Sendable, Equatable {
  /// Never empty; whitespace runs already collapsed to one space.
  case text(String)
  case number(NumberToken)
}

struct TokenizedLine: Sendable {
  /// 1-based, counting every line of the output (blank ones too).
  let number: Int
  /// The line with surrounding whitespace trimmed, for messages.
  let text: String
  let tokens: [OutputToken]
  /// The text tokens with `""` standing in for each number: two lines can only match
  /// if these are equal, and text tokens are never empty so the marker cannot collide.
  let skeleton: [String]
  let numbers: [NumberToken]

  init(number: Int, text: String, tokens: [OutputToken]) {
    self.number = number
    self.text = text
    self.tokens = tokens
    skeleton = tokens.map { if case .text(let t) = $0 { t } else { "" } }
    numbers = tokens.compactMap { if case .number(let n) = $0 { n } else { nil } }
  }
}

/// Splits output into lines of text and number tokens.
///
/// Rules the comparison relies on:
/// - `\r\n` is a line break; whitespace at either end of a line and blank lines at the
///   end of the output are ignored (leading whitespace too, since `%8.3f` padding is
///   formatting, not an answer); inner whitespace runs become one space.
/// - Numbers are found anywhere, even glued to words: `x=1.5,` is `x=`, `1.5`, `,` and
///   `rank3` is `rank`, `3`. Forms: `-3`, `+2.5e-3`, `1e10`, `.5`, `5.`+exponent, and the
///   words `nan`, `inf`, `infinity` (any case, optional sign) when not part of a longer word.
/// - A sign belongs to the number only when not glued to a preceding letter, digit, `_`,
///   `.` or closing bracket: there it reads as a hyphen or a minus operator, so `a-1` is
///   `a-`, `1` and `1-2` is `1`, `-`, `2`, while `x=-1` and `(-1)` keep `-1`.
/// - A trailing dot is punctuation (`Sum is 10.` ends in text `.`) so a missing full stop
///   is a text mismatch instead of vanishing into a number; `1.2.3` is `1.2`, `.`, `3`.
enum OutputTokenizer {
  static func lines(of output: String) -> [TokenizedLine] {
    var rows: [[Unicode.Scalar]] = [[]]
    var previousWasCR = false
    for scalar in output.unicodeScalars {
      if scalar == "\n" {
        if previousWasCR { rows[rows.count - 1].removeLast() }
        rows.append([])
      } else {
        rows[rows.count - 1].append(scalar)
      }
      previousWasCR = scalar == "\r"
    }
    var result = rows.enumerated().map { index, row in
      line(trimmed(row), number: index + 1)
    }
    while let last = result.last, last.tokens.isEmpty { result.removeLast() }
    return result
  }

  static func line(_ scalars: [Unicode.Scalar], number: Int) -> TokenizedLine {
    var tokens: [OutputToken] = []
    var text = String.UnicodeScalarView()
    var pendingSpace = false
    var i = 0
    while i < scalars.count {
      let scalar = scalars[i]
      if isSpace(scalar) {
        pendingSpace = true
        i += 1
        continue
      }
      if pendingSpace {
        text.append(" ")
        pendingSpace = false
      }
      if mayStartNumber(scalar), let end = numberEnd(in: scalars, at: i) {
        if !text.isEmpty { tokens.append(.text(String(text))) }
        text = String.UnicodeScalarView()
        tokens.append(.number(makeNumber(String(String.UnicodeScalarView(scalars[i..<end])))))
        i = end
      } else {
        text.append(scalar)
        i += 1
      }
    }
    if !text.isEmpty { tokens.append(.text(String(text))) }
    return TokenizedLine(number: number, text: String(String.UnicodeScalarView(scalars)), tokens: tokens)
  }

  // MARK: - Scanning

  private static func trimmed(_ row: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard let first = row.firstIndex(where: { !isSpace($0) }),
      let last = row.lastIndex(where: { !isSpace($0) })
    else { return [] }
    return Array(row[first...last])
  }

  private static func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }

  /// Unicode whitespace, with an ASCII fast path: property lookups dominate otherwise.
  private static func isSpace(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return s == " " || (s >= "\t" && s <= "\r") }
    return s.properties.isWhitespace
  }

  /// A cheap filter in front of `numberEnd`, which most text characters cannot pass.
  private static func mayStartNumber(_ s: Unicode.Scalar) -> Bool {
    switch s {
    case "0"..."9", "+", "-", ".", "n", "N", "i", "I": true
    default: false
    }
  }

  /// Letters, digits and `_`: what a number may not continue or (for nan/inf) touch.
  private static func isWordish(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII {
      return isDigit(s) || s == "_" || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
    }
    return s.properties.isAlphabetic
  }

  private static func digitsEnd(_ s: [Unicode.Scalar], from start: Int) -> Int {
    var j = start
    while j < s.count && isDigit(s[j]) { j += 1 }
    return j
  }

  /// Where an exponent (`e`, optional sign, at least one digit) starting at `j` ends.
  private static func exponentEnd(_ s: [Unicode.Scalar], at j: Int) -> Int? {
    guard j < s.count, s[j] == "e" || s[j] == "E" else { return nil }
    var k = j + 1
    if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
    let end = digitsEnd(s, from: k)
    return end > k ? end : nil
  }

  /// The end of the number starting at `i`, or nil if none starts there.
  private static func numberEnd(in s: [Unicode.Scalar], at i: Int) -> Int? {
    let previous: Unicode.Scalar? = i > 0 ? s[i - 1] : nil
    var j = i
    if s[j] == "+" || s[j] == "-" {
      if let p = previous, isWordish(p) || ".)]}".unicodeScalars.contains(p) { return nil }
      j += 1
    }
    guard j < s.count else { return nil }
    let signed = j > i

    if let end = specialWordEnd(s, at: j) {
      if !signed, let p = previous, isWordish(p) { return nil }
      return end
    }

    let intEnd = digitsEnd(s, from: j)
    var end = intEnd
    if intEnd < s.count, s[intEnd] == "." {
      let fracEnd = digitsEnd(s, from: intEnd + 1)
      if fracEnd > intEnd + 1 {
        // `.5` may not continue a word or a dotted run like `v.5` / `1.2.5`.
        if intEnd == j, !signed, let p = previous, isWordish(p) || p == "." { return nil }
        end = fracEnd
      } else if intEnd > j, exponentEnd(s, at: intEnd + 1) != nil {
        end = intEnd + 1  // `5.e3`
      }
    }
    guard end > j else { return nil }
    return exponentEnd(s, at: end) ?? end
  }

  private static let specialWords: [[Unicode.Scalar]] = ["infinity", "inf", "nan"].map { Array($0.unicodeScalars) }

  /// `nan`, `inf` or `infinity` in any case, not followed by more of a word.
  private static func specialWordEnd(_ s: [Unicode.Scalar], at j: Int) -> Int? {
    for word in specialWords {
      let end = j + word.count
      guard end <= s.count,
        zip(s[j..<end], word).allSatisfy({ $0 == $1 || $0.value == $1.value - 32 })
      else { continue }
      if end == s.count || !isWordish(s[end]) { return end }
    }
    return nil
  }

  private static func makeNumber(_ text: String) -> NumberToken {
    let negative = text.hasPrefix("-")
    let body = text.drop { $0 == "+" || $0 == "-" }
    switch body.lowercased() {
    case "nan": return NumberToken(text: text, value: .nan, integer: nil)
    case "inf", "infinity": return NumberToken(text: text, value: negative ? -.infinity : .infinity, integer: nil)
    default: break
    }
    // The scanner only yields strtod syntax, so parsing cannot fail.
    let value = Double(text) ?? .nan
    guard body.allSatisfy({ ("0"..."9").contains($0) }) else { return NumberToken(text: text, value: value, integer: nil) }
    let digits = body.drop { $0 == "0" }
    let canonical = digits.isEmpty ? "0" : (negative ? "-" : "") + digits
    return NumberToken(text: text, value: value, integer: canonical)
  }
}
