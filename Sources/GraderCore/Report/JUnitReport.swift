import Foundation

/// Renders results as JUnit XML that both common schemas accept: the Jenkins/Surefire
/// `junit-10.xsd` and the strict Apache Ant `junit.xsd` (see `scripts/fetch-schemas`).
///
/// The Ant schema decides the shape, being the stricter one:
/// - `<testsuites>` takes no attributes, and each suite in it needs `id` (0, 1, …) and
///   `package`;
/// - a suite is a fixed sequence: `properties` (required, first), `testcase`*,
///   `system-out`, `system-err` (both required, last); a testcase has at most one child,
///   `skipped`, `error` or `failure`, so it can carry no output of its own. Per-rank output
///   therefore goes to the suite's `system-out` / `system-err`, under a header naming
///   case, rank and stream; per-case facts (ranks, threads, affinity, points) go to the
///   suite's properties as `case.<case>.<key>`;
/// - `property` is `<property name="…" value="…"/>` (no text body), name non-empty;
/// - testcase `name`, `classname` and `time` are required, suite `name` and `hostname`
///   non-empty, `timestamp` an `xs:dateTime` without a zone (written here in UTC; the
///   `timestamp` property carries the same instant with its `Z`).
public enum JUnitReport {
  /// The whole document, one `testsuite` per exercise.
  public static func render(_ results: [ExerciseResult], options: ReportOptions = ReportOptions()) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
    for (id, result) in results.enumerated() {
      xml += suite(options.visible(result), id: id, hidden: !options.showHidden, limit: options.outputLimit)
    }
    return xml + "</testsuites>\n"
  }

  /// One `<testcase>`: a verdict and the text that explains it.
  struct Row {
    var name: String
    var seconds: Double
    var verdict: Verdict
    var message: String
    var body: String
  }

  static func suite(_ r: ExerciseResult, id: Int, hidden: Bool, limit: Int) -> String {
    let rows = [buildRow(r.build)] + r.cases.flatMap(rows)
    let name = nonBlank(r.exercise, or: "exercise")
    let errors = rows.count { $0.verdict == .graderError }
    let skipped = rows.count { $0.verdict == .skipped || $0.verdict == .inconclusive }
    let failures = rows.count { !$0.verdict.isPass } - errors - skipped
    let seconds = r.build.seconds + r.cases.reduce(0) { $0 + $1.seconds }
    var xml = "  <testsuite" + attributes([
      ("name", name), ("tests", "\(rows.count)"), ("failures", "\(failures)"), ("errors", "\(errors)"),
      ("skipped", "\(skipped)"), ("time", time(seconds)), ("timestamp", junitTimestamp(r.timestamp)),
      ("hostname", nonBlank(r.hostname, or: "localhost")), ("id", "\(id)"), ("package", name),
    ]) + ">\n    <properties>\n"
    for (key, value) in properties(r) {
      xml += "      <property" + attributes([("name", key), ("value", value)]) + "/>\n"
    }
    xml += "    </properties>\n"
    for row in rows { xml += testcase(row, classname: name, limit: limit) }
    let (out, err) = streams(r, hidden: hidden, limit: limit)
    xml += "    <system-out>\(out)</system-out>\n    <system-err>\(err)</system-err>\n"
    return xml + "  </testsuite>\n"
  }

  static func testcase(_ row: Row, classname: String, limit: Int) -> String {
    let open = "    <testcase" + attributes([("name", row.name), ("classname", classname), ("time", time(row.seconds))])
    let message = ("message", oneLine(row.message.isEmpty ? row.verdict.rawValue : row.message))
    let body = XMLText.content(row.body, limit: limit)
    switch row.verdict {
    case .passed:
      return open + "/>\n"
    case .skipped:
      return open + ">\n      <skipped" + attributes(row.message.isEmpty ? [] : [message]) + "/>\n    </testcase>\n"
    case .inconclusive:
      // No verdict either way: neither a failure of the student nor a pass.
      return open + ">\n      <skipped" + attributes([("message", "inconclusive: " + message.1)]) + "/>\n    </testcase>\n"
    case .graderError:
      return open + ">\n      <error" + attributes([("type", row.verdict.rawValue), message]) + ">\(body)</error>\n    </testcase>\n"
    default:
      return open + ">\n      <failure" + attributes([("type", row.verdict.rawValue), message]) + ">\(body)</failure>\n    </testcase>\n"
    }
  }

  static func buildRow(_ build: BuildResult) -> Row {
    let diagnostics = build.diagnostics.map(\.description)
    let first = build.diagnostics.first { $0.severity == "error" } ?? build.diagnostics.first
    let message = first.map(\.description) ?? (build.verdict == .compileError ? "the build failed" : "")
    var body = diagnostics.joined(separator: "\n")
    if body.isEmpty { body = build.verdict.isPass ? "" : "See the build log in system-err." }
    return Row(name: "build", seconds: build.seconds, verdict: build.verdict, message: message, body: body)
  }

  /// One row per check, plus a `<case> / run` row when no check would otherwise show the
  /// case's verdict (no checks, or a crash whose checks all passed or were skipped).
  static func rows(_ c: CaseResult) -> [Row] {
    var rows = c.checks.map { check in
      let body = [check.message, check.details, c.explanation, c.reproduce.isEmpty ? "" : "Reproduce: \(c.reproduce)",
                  "Points: \(number(check.points)) of \(number(check.maxPoints))"]
      return Row(name: "\(c.name) / \(check.name)", seconds: 0, verdict: check.verdict, message: check.message,
                 body: body.filter { !$0.isEmpty }.joined(separator: "\n\n"))
    }
    let counts = { (v: Verdict) in v != .passed && v != .skipped }
    if rows.isEmpty || (counts(c.verdict) && !c.checks.contains { counts($0.verdict) }) {
      let body = [c.explanation, c.reproduce.isEmpty ? "" : "Reproduce: \(c.reproduce)"]
      rows.insert(Row(name: "\(c.name) / run", seconds: 0, verdict: c.verdict, message: c.explanation,
                      body: body.filter { !$0.isEmpty }.joined(separator: "\n\n")), at: 0)
    }
    rows[0].seconds = c.seconds  // The run's time, once: CI sums testcase times.
    return rows
  }

  static func properties(_ r: ExerciseResult) -> [(String, String)] {
    var p: [(String, String)] = [
      ("exercise", r.exercise), ("title", r.title), ("submission", r.submission),
      ("score", number(r.score)), ("max-score", number(r.maxScore)),
      ("timestamp", r.timestamp.formatted(.iso8601)), ("host", r.hostname),
      ("toolchain", r.toolchain), ("mpi-version", r.mpiVersion),
      ("build.verdict", r.build.verdict.rawValue), ("build.cached", "\(r.build.cached)"),
    ]
    for c in r.cases {
      let key = "case.\(c.name)."
      p += [
        (key + "verdict", c.verdict.rawValue), (key + "points", number(c.points)),
        (key + "max-points", number(c.maxPoints)), (key + "ranks", "\(c.ranks)"),
        (key + "threads", "\(c.threads)"), (key + "hidden", "\(c.hidden)"), (key + "time", time(c.seconds)),
      ]
      if let status = c.exitStatus { p.append((key + "exit-status", "\(status)")) }
      for o in c.outputs where !o.affinity.isEmpty { p.append((key + "rank.\(o.rank).affinity", o.affinity)) }
      for check in c.checks {
        guard let t = check.timing else { continue }
        let prefix = key + "\(check.name)."
        p += [
          (prefix + "median", String(format: "%.6g", t.subject.median)), (prefix + "compared-median", String(format: "%.6g", t.other.median)),
          (prefix + "speedup", String(format: "%.3f", t.speedup)), (prefix + "bound", t.bound),
          (prefix + "runs", "\(t.subject.count)"), (prefix + "affinity", t.affinity.joined(separator: "; ")),
        ]
      }
    }
    return p
  }

  /// The suite's escaped system-out and system-err: each non-empty stream under a header.
  static func streams(_ r: ExerciseResult, hidden: Bool, limit: Int) -> (String, String) {
    var out = "", err = ""
    if !r.build.log.isEmpty { err += section("build log", r.build.log, truncated: false, limit: limit) }
    for c in r.cases {
      if c.hidden && hidden {
        out += XMLText.escape("=== \(XMLText.clean(c.name)): \(ReportOptions.withheld) ===\n")
        continue
      }
      for o in c.outputs {
        if !o.stdout.isEmpty { out += section("\(c.name) · rank \(o.rank) · stdout", o.stdout, truncated: o.truncated, limit: limit) }
        if !o.stderr.isEmpty { err += section("\(c.name) · rank \(o.rank) · stderr", o.stderr, truncated: o.truncated, limit: limit) }
      }
    }
    return (out, err)
  }

  static func section(_ title: String, _ text: String, truncated: Bool, limit: Int) -> String {
    var s = XMLText.escape("=== \(XMLText.clean(title)) ===\n") + XMLText.content(text, limit: limit)
    if !s.hasSuffix("\n") { s += "\n" }
    if truncated { s += "[… truncated when captured …]\n" }
    return s
  }

  static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " \($0.0)=\"\(XMLText.attribute($0.1))\"" }.joined()
  }

  /// `text`, or `fallback` when nothing would be left of it once cleaned and collapsed:
  /// the Ant schema wants a non-empty token for suite names and hostnames.
  static func nonBlank(_ text: String, or fallback: String) -> String {
    XMLText.clean(text).allSatisfy(\.isWhitespace) ? fallback : text
  }

  /// A `message` attribute: the first thing to fix, on one line.
  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// Seconds as `%.3f`, which both schemas' time types accept (never negative or NaN).
  static func time(_ seconds: Double) -> String {
    String(format: "%.3f", seconds.isFinite ? max(0, seconds) : 0)
  }

  /// Points without a useless `.0`: `3`, `2.5`.
  static func number(_ value: Double) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
  }

  /// `YYYY-MM-DDTHH:MM:SS` in UTC: the Ant schema forbids a zone designator.
  static func junitTimestamp(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let d = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
  }
}
