import Foundation

/// One ThreadSanitizer warning, cut down to what a student acts on: the two conflicting
/// accesses, where in their code each happened and on which thread. A raw report is a
/// page of stacks through the runtime; the first frame in the student's own files is the
/// line to look at.
public struct RaceReport: Codable, Sendable, Equatable {
  public struct Access: Codable, Sendable, Equatable {
    /// As ThreadSanitizer words it, lowercased: "write of size 8", "previous read of size 8".
    public var action: String
    /// "thread T2", "main thread".
    public var thread: String
    /// `file:line:col` of the first frame in the program's own files, when one has a line.
    public var site: String?
    /// The function of that frame, mangled until `demangled(by:)` runs.
    public var function: String?

    /// "writes", "wrote earlier", "reads", …: the action as a sentence needs it.
    var verb: String {
      let earlier = action.hasPrefix("previous ")
      let what = earlier ? String(action.dropFirst("previous ".count)) : action
      let (now, then) =
        what.hasPrefix("write") ? ("writes", "wrote") : what.hasPrefix("read") ? ("reads", "read")
        : what.hasPrefix("modifying") ? ("modifies", "modified") : what.hasPrefix("atomic write") ? ("writes atomically", "wrote atomically")
        : (what, what)
      return earlier ? "\(then) earlier" : now
    }
  }

  /// "data race", "Swift access race", "heap-use-after-free", …
  public var kind: String
  public var rank: Int
  public var accesses: [Access]
  /// What was raced on: "heap block of size 24", "global 'counter'".
  public var location: String?

  /// One line: `data race: thread T2 writes at main.swift:8:17 (in …); thread T1 wrote at main.swift:8:17`.
  public var summary: String {
    var parts: [String] = []
    for access in accesses {
      var text = "\(access.thread) \(access.verb)"
      text += access.site.map { $0.contains(":") ? " at \($0)" : " in \($0) (no line recorded)" } ?? " outside your files"
      if let function = access.function, !function.isEmpty { text += " (\(function))" }
      parts.append(text)
    }
    var line = "\(kind): " + parts.joined(separator: ", and ")
    if accesses.count > 1 { line += ", with nothing ordering the two" }
    if let location { line += "; on \(location)" }
    return line
  }

  /// How many accesses point at a line: the report that shows most is shown first.
  var precision: Int { accesses.count { $0.site?.contains(":") == true } }

  /// The distinct warnings in a run's stderr; `ownFiles` are the file names the program was
  /// built from, so frames in them are preferred to the runtime's.
  public static func parse(_ stderr: String, rank: Int, ownFiles: Set<String>) -> [RaceReport] {
    var reports: [RaceReport] = []
    var current: RaceReport?
    var access: Int?  // index into current.accesses whose stack is being read
    for line in stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if let range = line.range(of: "WARNING: ThreadSanitizer: ") {
        let kind = line[range.upperBound...].split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "race"
        current = RaceReport(kind: kind, rank: rank, accesses: [], location: nil)
        access = nil
        continue
      }
      guard var report = current else { continue }
      if line.hasPrefix("SUMMARY: ThreadSanitizer:") {
        if !reports.contains(where: { $0.kind == report.kind && $0.sites == report.sites }) {
          reports.append(report)
        }
        current = nil
        continue
      }
      if line.hasPrefix("  "), !line.hasPrefix("   ") {
        access = nil
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("Location is ") {
          report.location = locationText(String(text.dropFirst("Location is ".count)))
        } else if let by = text.range(of: " by ", options: .backwards), text.hasSuffix(":"),
          !text.hasPrefix("Thread "), !text.hasPrefix("Mutex ")
        {
          let action = String(text[..<by.lowerBound]).replacingOccurrences(
            of: #" at 0x[0-9a-f]+"#, with: "", options: .regularExpression)
          var thread = String(text[by.upperBound...].dropLast())
          if let paren = thread.range(of: " (") { thread = String(thread[..<paren.lowerBound]) }
          report.accesses.append(Access(action: action.lowercased(), thread: thread, site: nil, function: nil))
          access = report.accesses.count - 1
        }
      } else if let index = access, let frame = Frame(line), ownFiles.contains(frame.fileName) {
        // The first own frame with a line wins; one without a line only until then.
        if let site = frame.site {
          report.accesses[index].site = site
          report.accesses[index].function = frame.function
          access = nil
        } else if report.accesses[index].site == nil {
          report.accesses[index].site = frame.fileName
          report.accesses[index].function = frame.function
        }
      }
      current = report
    }
    // Stable sort: the most precise report first, otherwise in the order they came; then
    // drop a report that only repeats a kept one less precisely (Swift's access race and
    // the plain data race on the same variable, say).
    let sorted = reports.enumerated().sorted { ($0.element.precision, -$0.offset) > ($1.element.precision, -$1.offset) }.map(\.element)
    var kept: [RaceReport] = []
    for report in sorted where !kept.contains(where: { report.repeats($0) }) { kept.append(report) }
    return kept
  }

  /// Every site is the kept one's, or its file without the line.
  private func repeats(_ kept: RaceReport) -> Bool {
    sites.count == kept.sites.count
      && zip(sites, kept.sites).allSatisfy { mine, theirs in mine == theirs || theirs.hasPrefix(mine + ":") }
  }

  /// The sites of both accesses: two warnings about the same pair of lines are one bug.
  var sites: [String] { accesses.map { $0.site ?? "?" } }

  /// With every function name turned from its mangled form into Swift, by the toolchain's
  /// `swift-demangle`; unchanged if that fails.
  public static func demangled(_ reports: [RaceReport], by tool: URL?) -> [RaceReport] {
    let symbols = Array(Set(reports.flatMap { $0.accesses.compactMap(\.function) }.filter { $0.hasPrefix("$s") }))
    guard let tool, !symbols.isEmpty,
      let output = try? Command.run([tool.path, "--simplified", "--compact"] + symbols, timeout: 10), output.status == 0
    else { return reports }
    let names = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard names.count >= symbols.count else { return reports }
    let table = Dictionary(uniqueKeysWithValues: zip(symbols, names))
    return reports.map { report in
      var report = report
      for i in report.accesses.indices {
        if let f = report.accesses[i].function, let name = table[f] {
          // Top-level code has no name: "closure #1 in " reads better without the dangling "in".
          report.accesses[i].function = name.hasSuffix(" in ") ? String(name.dropLast(4)) : name
        }
      }
      return report
    }
  }

  /// "heap block of size 24 at 0x7208… allocated by main thread:" → "heap block of size 24".
  private static func locationText(_ text: String) -> String {
    var text = text
    for marker in [" at 0x", " allocated by", " ("] {
      if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) }
    }
    return text.trimmingCharacters(in: CharacterSet(charactersIn: ": "))
  }

  /// `#0 $s4main… /path/main.swift:8:17 (prog+0x…)`: the symbol and the source position.
  private struct Frame {
    var function: String
    var path: String

    init?(_ line: String) {
      let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
      guard words.count >= 3, words[0].hasPrefix("#") else { return nil }
      function = String(words[1])
      path = String(words[2])
    }

    /// The path's last component without `:line:col`.
    var fileName: String {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      return name.split(separator: ":").first.map(String.init) ?? name
    }

    /// `main.swift:8:17`, or nil when the frame has no line number.
    var site: String? {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      return name.contains(":") ? name : nil
    }
  }
}
