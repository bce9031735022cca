import Foundation

/// A Judge failure that is the rubric's fault, not the student's.
public enum JudgeError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
  /// `reason` is the parser's complaint, e.g. `expected ')'`.
  case invalidRegex(pattern: String, reason: String)

  public var description: String {
    switch self {
    case .invalidRegex(let pattern, let reason):
      "invalid regular expression /\(pattern)/ in the rubric: \(reason) "
        + "(ICU syntax; escape literal ( ) [ ] { } . * + ? ^ $ | \\ with a backslash)"
    }
  }

  /// So `localizedDescription` is not Foundation's generic text on Linux.
  public var errorDescription: String? { description }
}

/// Checks of a whole output for some text, for exercises where only part of the output
/// is specified.
///
/// All of them see `\r\n` as `\n`, so a check behaves the same for output captured
/// through a pty; otherwise they are literal (no whitespace collapsing, no tolerance).
public enum TextCheck {
  /// Nil when `text` contains `needle`. An empty needle always passes.
  public static func contains(_ needle: String, in text: String, label: String) -> Mismatch? {
    let needle = normalized(needle)
    guard !needle.isEmpty, normalized(text).firstRange(of: needle) == nil else { return nil }
    return Mismatch(message: render(label, "output does not contain \(JudgeFormat.quote(needle))"))
  }

  /// Nil when `text` does not contain `needle`; else a message naming the line of the
  /// first occurrence, and the lines of up to `Mismatch.detailLimit` more in `details`.
  /// An empty needle always passes.
  public static func notContains(_ needle: String, in text: String, label: String) -> Mismatch? {
    let needle = normalized(needle)
    guard !needle.isEmpty else { return nil }
    let text = normalized(text)
    let lines = lineNumbers(of: text.ranges(of: needle).map(\.lowerBound), in: text)
    guard let first = lines.first else { return nil }
    let message = render(label, "output contains forbidden text \(JudgeFormat.quote(needle)) on line \(first)")
    let further = lines.dropFirst().map { JudgeFinding(location: "", body: "also on line \($0)") }
    return Mismatch(message: message, further: further, label: label)
  }

  /// Nil when `pattern` matches somewhere in `text`. `^` and `$` match at every line, so
  /// a pattern like `^Sum = \d+$` means "some line is exactly this".
  ///
  /// - Throws: `JudgeError.invalidRegex` when the pattern does not compile.
  public static func matches(regex pattern: String, in text: String, label: String) throws -> Mismatch? {
    let regex = try compile(pattern)
    let text = normalized(text)
    guard regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil else { return nil }
    return Mismatch(message: render(label, "output does not match /\(pattern)/"))
  }

  /// Throws what `matches` would, so a rubric can be rejected when loaded rather than
  /// when the first submission is graded.
  public static func validate(regex pattern: String) throws {
    _ = try compile(pattern)
  }

  // MARK: - Helpers

  /// NSRegularExpression (ICU) does the matching because it is much faster than Swift's
  /// `Regex` on large outputs; but its errors on Linux say only "The value is invalid",
  /// so Swift's parser, which accepts nearly the same syntax, is asked for the reason.
  private static func compile(_ pattern: String) throws -> NSRegularExpression {
    do {
      return try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
    } catch {
      var reason = "not valid ICU regular expression syntax"
      do { _ = try Regex(pattern) } catch let swiftError { reason = "\(swiftError)" }
      throw JudgeError.invalidRegex(pattern: pattern, reason: reason)
    }
  }

  private static func render(_ label: String, _ body: String) -> String {
    JudgeFinding(location: "", body: body).rendered(label: label)
  }

  /// Works on scalars: in a Swift `String`, `\r\n` is one Character that `\n` never equals.
  private static func normalized(_ s: String) -> String {
    guard s.unicodeScalars.contains("\r") else { return s }
    var out = String.UnicodeScalarView()
    var pendingCR = false
    for scalar in s.unicodeScalars {
      if pendingCR, scalar != "\n" { out.append("\r") }
      pendingCR = scalar == "\r"
      if !pendingCR { out.append(scalar) }
    }
    if pendingCR { out.append("\r") }
    return String(out)
  }

  /// The distinct 1-based lines of ascending `indices`, counted in one pass over `text`.
  private static func lineNumbers(of indices: [String.Index], in text: String) -> [Int] {
    var lines: [Int] = []
    var line = 1
    var scanned = text.startIndex
    for index in indices {
      line += text.unicodeScalars[scanned..<index].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
      scanned = index
      if lines.last != line { lines.append(line) }
    }
    return lines
  }
}
