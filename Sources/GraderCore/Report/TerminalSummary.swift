import Foundation

/// The human report: one line per case with ✓ or ✗ and points, the first thing to
/// fix under each failure, and the command that reruns it.
public struct TerminalSummary: Sendable {
  public var color: Bool
  /// Whether hidden cases show their details (a TA) or only their verdict (a student).
  public var showHidden: Bool

  public init(color: Bool, showHidden: Bool) {
    self.color = color
    self.showHidden = showHidden
  }

  /// Color unless `NO_COLOR` is set or the output is not a terminal.
  public static func wantsColor(noColorFlag: Bool) -> Bool {
    !noColorFlag && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
  }

  public func render(_ result: ExerciseResult) -> String {
    var lines = ["\(bold("\(result.exercise)")) · \(clean(result.title)) · \(clean(result.submission))"]
    let build = result.build
    if build.verdict == .passed {
      lines.append("  \(mark(.passed)) build" + (build.cached ? " (cached)" : String(format: " (%.1f s)", build.seconds)))
    } else if build.verdict != .skipped {
      lines.append("  \(mark(build.verdict)) build  \(paint(build.verdict.rawValue, .red))")
      for d in build.diagnostics.filter({ $0.severity == "error" }).prefix(5) { lines.append("      \(clean(d.description))") }
    }
    let width = min(48, result.cases.map(\.name.count).max() ?? 0)
    for c in result.cases {
      let name = c.name.padding(toLength: max(width, c.name.count), withPad: " ", startingAt: 0)
      let points = "\(number(c.points))/\(number(c.maxPoints))"
      var line = "  \(mark(c.verdict)) \(name)  \(points)"
      if !c.verdict.isPass { line += "  " + paint(c.verdict.rawValue, c.verdict == .skipped ? .yellow : .red) }
      if c.hidden { line += paint("  (hidden)", .dim) }
      lines.append(line)
      if !c.hidden || showHidden {
        // A measured check shows what it measured even when it passed.
        for check in c.checks where check.verdict.isPass && check.timing != nil {
          lines.append(paint("      measured: \(clean(check.message))", .dim))
        }
      }
      guard !c.verdict.isPass, c.verdict != .skipped, !c.hidden || showHidden else { continue }
      let first = c.checks.first { !$0.verdict.isPass }
      let message = first?.message.isEmpty == false ? first!.message : c.explanation
      if !message.isEmpty { lines.append("      " + clean(message)) }
      lines.append(paint("      rerun: \(c.reproduce)", .dim))
    }
    let total = "\(number(result.score))/\(number(result.maxScore))"
    lines.append("  score \(bold(total))" + (result.allPassed ? "  " + paint("all passed", .green) : ""))
    return lines.joined(separator: "\n") + "\n"
  }

  private enum Tint: String {
    case red = "31", green = "32", yellow = "33", dim = "2"
  }

  private func mark(_ verdict: Verdict) -> String {
    switch verdict {
    case .passed: paint("✓", .green)
    case .skipped, .inconclusive: paint("○", .yellow)
    default: paint("✗", .red)
    }
  }

  private func paint(_ text: String, _ tint: Tint) -> String {
    color ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text
  }

  private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

  /// Program-controlled text must not drive the terminal: escapes become visible.
  private func clean(_ text: String) -> String { XMLText.clean(text) }

  private func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
  }
}
