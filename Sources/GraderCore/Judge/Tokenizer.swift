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
  /// UTF-8 of a line, as a slice of the whole output: scanning bytes and building
  /// strings with `String(decoding:)` is several times faster than going through
  /// `Unicode.Scalar`s, and outputs are mostly ASCII. Non-ASCII scalars are decoded
  /// only where whitespace or letters matter.
  typealias Bytes = ArraySlice<UInt8>

  static func lines(of output: String) -> [TokenizedLine] {
    let bytes = Array(output.utf8)
    var result: [TokenizedLine] = []
    var start = 0
    for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      result.append(line(trimmed(bytes[start..<i]), number: result.count + 1))
      start = i + 1
    }
    result.append(line(trimmed(bytes[start...]), number: result.count + 1))
    while let last = result.last, last.tokens.isEmpty { result.removeLast() }
    return result
  }

  static func line(_ s: Bytes, number: Int) -> TokenizedLine {
    var tokens: [OutputToken] = []
    var text: [UInt8] = []
    var pendingSpace = false
    var i = s.startIndex
    while i < s.endIndex {
      let (scalar, length) = decode(s, at: i)
      if isSpace(scalar) {
        pendingSpace = true
        i += length
        continue
      }
      if pendingSpace {
        text.append(UInt8(ascii: " "))
        pendingSpace = false
      }
      if mayStartNumber(scalar), let (end, kind) = numberEnd(in: s, at: i) {
        if !text.isEmpty { tokens.append(.text(String(decoding: text, as: UTF8.self))) }
        text.removeAll(keepingCapacity: true)
        tokens.append(.number(makeNumber(s[i..<end], kind)))
        i = end
      } else {
        text.append(contentsOf: s[i..<(i + length)])
        i += length
      }
    }
    if !text.isEmpty { tokens.append(.text(String(decoding: text, as: UTF8.self))) }
    return TokenizedLine(number: number, text: String(decoding: s, as: UTF8.self), tokens: tokens)
  }

  // MARK: - Scanning

  private enum Kind { case integer, real, nan, infinity }

  /// The scalar starting at byte `i` and its length; `s` is valid UTF-8 (it came from a `String`).
  private static func decode(_ s: Bytes, at i: Int) -> (Unicode.Scalar, Int) {
    let lead = s[i]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var value = UInt32(lead) & (0x7F >> length)
    for k in 1..<length { value = value << 6 | UInt32(s[i + k] & 0x3F) }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }

  /// Where the scalar ending just before byte `i` starts.
  private static func scalarStart(before i: Int, in s: Bytes) -> Int {
    var j = i - 1
    while j > s.startIndex && s[j] & 0xC0 == 0x80 { j -= 1 }
    return j
  }

  private static func scalar(before i: Int, in s: Bytes) -> Unicode.Scalar? {
    i > s.startIndex ? decode(s, at: scalarStart(before: i, in: s)).0 : nil
  }

  /// Without surrounding whitespace, which includes the `\r` of a `\r\n`.
  private static func trimmed(_ s: Bytes) -> Bytes {
    var low = s.startIndex
    while low < s.endIndex {
      let (scalar, length) = decode(s, at: low)
      if !isSpace(scalar) { break }
      low += length
    }
    var high = s.endIndex
    while high > low {
      let start = scalarStart(before: high, in: s)
      if !isSpace(decode(s, at: start).0) { break }
      high = start
    }
    return s[low..<high]
  }

  private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

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
      return ("0"..."9").contains(s) || s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }
    return s.properties.isAlphabetic
  }

  private static func digitsEnd(_ s: Bytes, from start: Int) -> Int {
    var j = start
    while j < s.endIndex && isDigit(s[j]) { j += 1 }
    return j
  }

  /// Where an exponent (`e`, optional sign, at least one digit) starting at `j` ends.
  private static func exponentEnd(_ s: Bytes, at j: Int) -> Int? {
    guard j < s.endIndex, s[j] == UInt8(ascii: "e") || s[j] == UInt8(ascii: "E") else { return nil }
    var k = j + 1
    if k < s.endIndex, s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-") { k += 1 }
    let end = digitsEnd(s, from: k)
    return end > k ? end : nil
  }

  /// The end and kind of the number starting at `i`, or nil if none starts there.
  private static func numberEnd(in s: Bytes, at i: Int) -> (Int, Kind)? {
    let previous = scalar(before: i, in: s)
    var j = i
    if s[j] == UInt8(ascii: "+") || s[j] == UInt8(ascii: "-") {
      if let p = previous, isWordish(p) || p == "." || p == ")" || p == "]" || p == "}" { return nil }
      j += 1
    }
    guard j < s.endIndex else { return nil }
    let signed = j > i

    if let (end, kind) = specialWordEnd(s, at: j) {
      if !signed, let p = previous, isWordish(p) { return nil }
      return (end, kind)
    }

    let intEnd = digitsEnd(s, from: j)
    var end = intEnd
    if intEnd < s.endIndex, s[intEnd] == UInt8(ascii: ".") {
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
    if let exponent = exponentEnd(s, at: end) { return (exponent, .real) }
    return (end, end == intEnd ? .integer : .real)
  }

  private static let specialWords: [([UInt8], Kind)] = [
    (Array("infinity".utf8), .infinity), (Array("inf".utf8), .infinity), (Array("nan".utf8), .nan),
  ]

  /// `nan`, `inf` or `infinity` in any case, not followed by more of a word.
  private static func specialWordEnd(_ s: Bytes, at j: Int) -> (Int, Kind)? {
    for (word, kind) in specialWords {
      let end = j + word.count
      // The words are lowercase letters; `| 0x20` lowercases ASCII letters only.
      guard end <= s.endIndex, zip(s[j..<end], word).allSatisfy({ $0 | 0x20 == $1 }) else { continue }
      if end == s.endIndex || !isWordish(decode(s, at: end).0) { return (end, kind) }
    }
    return nil
  }

  private static func makeNumber(_ s: Bytes, _ kind: Kind) -> NumberToken {
    let text = String(decoding: s, as: UTF8.self)
    let negative = s.first == UInt8(ascii: "-")
    switch kind {
    case .nan: return NumberToken(text: text, value: .nan, integer: nil)
    case .infinity: return NumberToken(text: text, value: negative ? -.infinity : .infinity, integer: nil)
    case .real: return NumberToken(text: text, value: Double(text) ?? .nan, integer: nil)  // strtod syntax
    case .integer:
      let digits = s.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "0") }
      let canonical = digits.isEmpty ? "0" : (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
      return NumberToken(text: text, value: Double(text) ?? .nan, integer: canonical)
    }
  }
}
