import Foundation

/// Why a judged output failed: what a `CheckResult` needs for `message` and `details`.
public struct Mismatch: Sendable, Equatable {
  /// One line naming the first thing to fix, prefixed with the caller's label.
  public var message: String
  /// Further problems, one per line, capped at `Mismatch.detailLimit` plus a count of the
  /// rest, so a TA sees more than the first without a megabyte of diff; empty if none.
  public var details: String

  public init(message: String, details: String = "") {
    self.message = message
    self.details = details
  }

  public static let detailLimit = 20

  /// `further` rendered with `label` as capped details (only the shown ones are rendered).
  init(message: String, further: [JudgeFinding], label: String) {
    var lines = further.prefix(Self.detailLimit).map { $0.rendered(label: label) }
    if further.count > Self.detailLimit {
      lines.append("… and \(further.count - Self.detailLimit) more")
    }
    self.init(message: message, details: lines.joined(separator: "\n"))
  }
}

/// One problem, kept apart from the caller's label until rendered.
struct JudgeFinding: Sendable, Equatable {
  /// Where, e.g. `line 2, number 1`; empty for the output as a whole.
  var location: String
  var body: String

  /// `label, location: body`, leaving out empty parts.
  func rendered(label: String) -> String {
    let head = [label, location].filter { !$0.isEmpty }.joined(separator: ", ")
    return head.isEmpty ? body : "\(head): \(body)"
  }
}

/// Text formatting shared by the Judge's messages.
enum JudgeFormat {
  /// Longest quoted line, in characters, so one message stays one readable line.
  static let quoteWidth = 60
  /// Characters kept before the first difference when a long line must be cut.
  static let context = 20

  /// `%.Ng` with the exponent's `+` and leading zeros dropped (`7.3e-6`, `1e-8`, `0.05`),
  /// and plain integers below a million (`100`, not `1e2`).
  static func compact(_ x: Double, digits: Int = 2) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    let s = String(format: "%.\(digits)g", x)
    guard let e = s.firstIndex(of: "e") else { return s }
    if abs(x) >= 1, abs(x) < 1e6, let rounded = Double(s) { return String(format: "%.0f", rounded) }
    let mantissa = s[..<e]
    var exponent = s[s.index(after: e)...]
    let negative = exponent.first == "-"
    exponent = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
    return "\(mantissa)e\(negative ? "-" : "")\(exponent.isEmpty ? "0" : exponent)"
  }

  /// |Δ| and tol in the fewest digits (at least 2) that tell them apart, so a message
  /// never reads `|Δ| 1e-8 > tol 1e-8`.
  static func compactPair(_ a: Double, _ b: Double) -> (String, String) {
    for digits in 2..<17 {
      let pair = (compact(a, digits: digits), compact(b, digits: digits))
      if pair.0 != pair.1 { return pair }
    }
    return (compact(a, digits: 17), compact(b, digits: 17))
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  /// A line in quotes, cut to `quoteWidth` with `…`.
  static func quote(_ line: String) -> String {
    quotePair(line, line).0
  }

  /// Two lines in quotes, cut at the same window so that the first difference is visible
  /// in both even when it lies far to the right.
  static func quotePair(_ got: String, _ expected: String) -> (String, String) {
    let g = Array(got)
    let e = Array(expected)
    var start = 0
    if max(g.count, e.count) > quoteWidth {
      let firstDifference = zip(g, e).prefix { $0 == $1 }.count
      if firstDifference > quoteWidth - context { start = firstDifference - context }
    }
    func cut(_ c: [Character]) -> String {
      let end = min(c.count, start + quoteWidth)
      let body = start < end ? String(c[start..<end]) : ""
      return "\"" + (start > 0 ? "…" : "") + escaped(body) + (end < c.count ? "…" : "") + "\""
    }
    return (cut(g), cut(e))
  }

  /// Quotes and control characters made visible, so a stray tab or `\r` is not a mystery.
  static func escaped(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
