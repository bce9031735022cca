import Foundation

/// Cases and checks: the part of the schema with cross-field rules (ranks expansion, rank
/// selectors vs. process count, point split, unique names).
extension RubricParser {
  static let caseKeys = [
    "name", "ranks", "threads", "pinning", "args", "stdin", "stdin_file", "env", "timeout",
    "points", "visibility", "checks", "strict_sends", "stall", "repeat",
  ]
  /// Exactly one of these per check: a check with two would be ambiguous to grade and explain.
  static let checkKinds = ["exit", "output", "regex", "contains", "not_contains", "speed", "scaling", "race_free"]
  static let checkKeys = checkKinds + ["rank", "atol", "rtol", "unordered", "ignore", "points"]
  static let outputSources = ["expected", "file", "reference"]

  /// A check before ranks expansion: keeps the nodes needed for errors found later.
  struct ParsedCheck {
    var check: RubricCheck
    var rankNode: RubricNode?
    var explicitPoints: Double?
  }

  func cases(_ node: RubricNode, timeout: Double, hasReference: Bool, sources: [String]) throws -> [RubricCase] {
    let entries = try node.list()
    guard !entries.isEmpty else { throw node.invalid("must list at least one case") }
    var result: [RubricCase] = []
    var firstUse: [String: RubricNode] = [:]
    for entry in entries {
      let (expanded, nameNode) = try caseEntry(entry, timeout: timeout, hasReference: hasReference, sources: sources)
      for rubricCase in expanded {
        if let first = firstUse[rubricCase.name] {
          throw nameNode.invalid(
            "duplicate case name \"\(rubricCase.name)\" (also the name of the case at \(first.line):\(first.column))")
        }
        firstUse[rubricCase.name] = nameNode
      }
      result += expanded
    }
    return result
  }

  /// One YAML case, expanded into one `RubricCase` per `ranks` value.
  private func caseEntry(
    _ node: RubricNode, timeout defaultTimeout: Double, hasReference: Bool, sources: [String]
  ) throws -> ([RubricCase], nameNode: RubricNode) {
    let map = try node.mapping(allowed: Self.caseKeys)
    let nameNode = try map.required("name")
    let name = try nameNode.nonEmptyString()
    let (counts, isList) = try rankCounts(map["ranks"])
    let threads = try map["threads"].map { try positiveInt($0) } ?? 1
    let pinning = try map["pinning"]?.choice(Pinning.self) ?? .cores
    let args = try map["args"]?.stringList() ?? []
    if map.has("stdin"), let second = map.keyNode("stdin_file") {
      throw second.invalid("use either stdin or stdin_file, not both")
    }
    var stdin = try map["stdin"]?.string()
    var stdinFile: URL?
    if let fileNode = map["stdin_file"] {
      (stdinFile, stdin) = try existingText(fileNode)
    }
    let env = try map["env"].map(environment) ?? [:]
    let timeout = try map["timeout"].map(positiveSeconds) ?? defaultTimeout
    let visibility = try map["visibility"]?.choice(Visibility.self) ?? .visible
    let strictSends = try map["strict_sends"]?.bool() ?? false
    let stallWindow = try map["stall"].map(positiveSeconds) ?? RubricCase.defaultStallWindow
    let checksNode = try map.required("checks")
    let repeatCount = try map["repeat"].map { try positiveInt($0) } ?? 1
    let parsed = try checksNode.list().map { try check($0, hasReference: hasReference, sources: sources) }
    guard !parsed.isEmpty else { throw checksNode.invalid("must list at least one check") }
    let (points, checks) = try splitPoints(parsed, casePoints: map["points"], caseNode: node)

    let expanded = try counts.map { np in
      for item in parsed {
        guard case .rank(let rank) = item.check.rank, rank >= max(np, 1), let at = item.rankNode else { continue }
        let runs = np == 0 ? "runs without mpirun (only rank 0)" : "runs with np=\(np) (ranks 0...\(np - 1))"
        throw at.invalid("rank \(rank) does not exist: the case \(runs)")
      }
      return RubricCase(
        name: isList ? "\(name) (np=\(np))" : name, baseName: name, ranks: np, threads: threads,
        pinning: pinning, args: args, stdin: stdin, stdinFile: stdinFile, env: env,
        timeout: timeout, points: points, visibility: visibility, checks: checks,
        strictSends: strictSends, stallWindow: stallWindow, repeatCount: repeatCount, location: node.location)
    }
    return (expanded, nameNode)
  }

  /// `ranks: 4` is one case named as written; `ranks: [1, 2, 4]` is one case per value,
  /// each named "<name> (np=N)". 0 means a plain run without mpirun.
  private func rankCounts(_ node: RubricNode?) throws -> ([Int], isList: Bool) {
    guard let node else { return ([1], false) }
    guard case .sequence = node.node else {
      guard node.isInteger else { throw node.mismatch(expected: "an integer or a list of integers") }
      return ([try nonNegativeInt(node)], false)
    }
    let items = try node.list()
    guard !items.isEmpty else { throw node.invalid("must list at least one process count") }
    var counts: [Int] = []
    for item in items {
      let count = try nonNegativeInt(item)
      guard !counts.contains(count) else { throw item.invalid("\(count) is listed twice") }
      counts.append(count)
    }
    return (counts, true)
  }

  private func check(_ node: RubricNode, hasReference: Bool, sources: [String]) throws -> ParsedCheck {
    let map = try node.mapping(allowed: Self.checkKeys)
    let kinds = map.entries.filter { Self.checkKinds.contains($0.key) }
    guard let kindEntry = kinds.first else {
      throw node.invalid("a check needs one of \(Self.checkKinds.joined(separator: ", "))")
    }
    if kinds.count > 1 {
      throw kinds[1].keyNode.invalid(
        "a check has exactly one kind, this one has \"\(kinds[0].key)\" and \"\(kinds[1].key)\"; split it into two checks")
    }
    let value = kindEntry.value
    let kind: RubricCheck.Kind
    switch kindEntry.key {
    case "exit":
      let status = try value.int()
      guard (0...255).contains(status) else { throw value.invalid("an exit status is 0...255, got \(status)") }
      kind = .exit(status)
    case "output":
      kind = .output(try expectedOutput(value, hasReference: hasReference))
    case "regex":
      let pattern = try value.nonEmptyString()
      guard (try? NSRegularExpression(pattern: pattern)) != nil else {
        throw value.invalid("invalid regular expression \(value.got)")
      }
      kind = .regex(pattern)
    case "contains":
      kind = .contains(try value.nonEmptyString())
    case "not_contains":
      kind = .notContains(try value.nonEmptyString())
    case "speed", "scaling":
      kind = .timing(try timing(value, scaling: kindEntry.key == "scaling", hasReference: hasReference, sources: sources))
    default:
      guard try value.bool() else { throw value.invalid("must be true; leave the check out to skip the race check") }
      kind = .raceFree
    }
    if ["exit", "speed", "scaling", "race_free"].contains(kindEntry.key), let rankKey = map.keyNode("rank") {
      throw rankKey.invalid("rank does not apply to \(kindEntry.key) checks: they judge the whole run")
    }
    for option in ["atol", "rtol", "unordered", "ignore"] where kindEntry.key != "output" {
      if let key = map.keyNode(option) { throw key.invalid("\(option) applies only to output checks") }
    }
    let check = RubricCheck(
      kind, rank: try map["rank"].map(rankSelector) ?? .all,
      atol: try map["atol"].map(nonNegative) ?? 0, rtol: try map["rtol"].map(nonNegative) ?? 0,
      unordered: try map["unordered"]?.bool() ?? false, ignore: try map["ignore"].map(linePattern), points: 0,
      location: node.location)
    return ParsedCheck(check: check, rankNode: map["rank"], explicitPoints: try map["points"].map(nonNegative))
  }

  private func linePattern(_ node: RubricNode) throws -> String {
    let pattern = try node.nonEmptyString()
    guard (try? NSRegularExpression(pattern: pattern)) != nil else {
      throw node.invalid("invalid regular expression \(node.got)")
    }
    return pattern
  }

  static let speedKeys = ["baseline", "speedup", "within", "measure", "runs", "warmup", "max_runs", "confidence"]
  static let scalingKeys = ["threads", "ranks", "speedup", "within", "measure", "runs", "warmup", "max_runs", "confidence"]

  /// `speed: {baseline: …}` times the case against another program, `scaling: {threads: 1}`
  /// against the same case with another thread or rank count.
  private func timing(_ node: RubricNode, scaling: Bool, hasReference: Bool, sources: [String]) throws -> TimingSpec {
    let map = try node.mapping(allowed: scaling ? Self.scalingKeys : Self.speedKeys)
    let comparison: TimingSpec.Comparison
    if scaling {
      let threads = map["threads"], ranks = map["ranks"]
      if threads != nil, let second = map.keyNode("ranks") {
        throw second.invalid("scale either threads or ranks, not both")
      }
      if let threads {
        comparison = .threads(try positiveInt(threads))
      } else if let ranks {
        comparison = .ranks(try positiveInt(ranks))
      } else {
        throw node.invalid("needs threads or ranks: the count the case is compared against")
      }
    } else {
      let baseline = try map.required("baseline")
      if (try? baseline.string()) == "reference" {
        guard hasReference else { throw baseline.invalid("needs a reference solution: set the rubric's top-level reference") }
        comparison = .reference
      } else {
        comparison = .program(try programDirectory(baseline, sources: sources, role: "baseline"))
      }
    }
    let bound: TimingSpec.Bound
    switch (map["speedup"], map["within"]) {
    case (let speedup?, nil): bound = .speedup(try positiveFactor(speedup))
    case (nil, let within?): bound = .within(try positiveFactor(within))
    case (_?, _?): throw map.keyNode("within")!.invalid("give either speedup or within, not both")
    case (nil, nil): throw node.invalid("needs a bound: speedup (at least N× faster) or within (at most N× the time)")
    }
    var measure = TimingSpec.Measure.wall
    if let measureNode = map["measure"], try measureNode.string() != "wall" {
      let pattern = try measureNode.nonEmptyString()
      guard let regex = try? NSRegularExpression(pattern: pattern) else {
        throw measureNode.invalid("is neither wall nor a valid regular expression: \(measureNode.got)")
      }
      guard regex.numberOfCaptureGroups >= 1 else {
        throw measureNode.invalid("the pattern needs a group around the seconds, e.g. 'time: ([0-9.eE+-]+) s'")
      }
      measure = .pattern(pattern)
    }
    let runs = try map["runs"].map { try atLeast(3, $0) } ?? TimingSpec.defaultRuns
    let maxRuns = try map["max_runs"].map { try atLeast(3, $0) } ?? max(runs, TimingSpec.defaultMaxRuns)
    if maxRuns < runs, let at = map["max_runs"] {
      throw at.invalid("must be at least runs (\(runs))")
    }
    return TimingSpec(
      comparison: comparison, bound: bound, measure: measure, runs: runs,
      warmup: try map["warmup"].map(nonNegativeInt) ?? TimingSpec.defaultWarmup, maxRuns: maxRuns,
      confidence: try map["confidence"].map(confidenceLevel) ?? TimingSpec.defaultConfidence)
  }

  private func confidenceLevel(_ node: RubricNode) throws -> Double {
    let value = try node.number()
    guard value >= 0.5, value < 1 else {
      throw node.invalid("must be a level between 0.5 and 1 (0.95 for 95 %), got \(node.got)")
    }
    return value
  }

  private func positiveFactor(_ node: RubricNode) throws -> Double {
    let value = try node.number()
    guard value > 0, value.isFinite else { throw node.invalid("must be a positive number, got \(node.got)") }
    return value
  }

  /// Fewer runs than this give no quartiles worth judging noise by.
  private func atLeast(_ minimum: Int, _ node: RubricNode) throws -> Int {
    let value = try node.int()
    guard value >= minimum else { throw node.invalid("must be \(minimum) or more, got \(value)") }
    return value
  }

  private func expectedOutput(_ node: RubricNode, hasReference: Bool) throws -> ExpectedOutput {
    let map = try node.mapping(allowed: Self.outputSources)
    let choices = Self.outputSources.joined(separator: ", ")
    guard let source = map.entries.first else { throw node.invalid("needs one of \(choices)") }
    if map.entries.count > 1 {
      throw map.entries[1].keyNode.invalid(
        "give exactly one of \(choices), not both \"\(source.key)\" and \"\(map.entries[1].key)\"")
    }
    switch source.key {
    case "expected":
      return .inline(try source.value.string())
    case "file":
      let (url, text) = try existingText(source.value)
      return .file(url, text: text)
    default:
      guard try source.value.bool() else {
        throw source.value.invalid("must be true; to compare against fixed text use expected or file")
      }
      guard hasReference else {
        throw source.value.invalid("needs a reference solution: set the rubric's top-level reference")
      }
      return .reference
    }
  }

  /// A rank number, `each` or `all`. Whether the number exists is checked per expanded case.
  private func rankSelector(_ node: RubricNode) throws -> RankSelector {
    if node.isInteger { return .rank(try nonNegativeInt(node)) }
    switch try? node.string() {
    case "each": return .each
    case "all": return .all
    default: throw node.mismatch(expected: "a rank number, \"each\" or \"all\"")
    }
  }

  /// The case's points go to its checks: explicit check points first, the rest split evenly.
  /// Without `points` the case is worth 1, or the sum of its checks' points if all have some.
  private func splitPoints(
    _ parsed: [ParsedCheck], casePoints: RubricNode?, caseNode: RubricNode
  ) throws -> (Double, [RubricCheck]) {
    let explicit = parsed.compactMap(\.explicitPoints).reduce(0, +)
    let implicitCount = parsed.filter { $0.explicitPoints == nil }.count
    let slack = 1e-9 * max(1, explicit)
    let total: Double
    if let casePoints {
      total = try nonNegative(casePoints)
      if implicitCount == 0, abs(explicit - total) > slack {
        throw casePoints.invalid("the checks' points add up to \(format(explicit)), not \(format(total))")
      }
      if explicit > total + slack {
        throw casePoints.invalid("the checks' own points (\(format(explicit))) exceed the case's \(format(total))")
      }
    } else {
      total = implicitCount == 0 ? explicit : 1
      if explicit > total + slack {
        throw caseNode.invalid(
          "the checks' own points (\(format(explicit))) exceed the case's default of 1; set the case's points")
      }
    }
    let share = implicitCount == 0 ? 0 : (total - explicit) / Double(implicitCount)
    let checks = parsed.map { item in
      var check = item.check
      check.points = item.explicitPoints ?? share
      return check
    }
    return (total, checks)
  }

  /// Environment variables: names must be valid shell names so the runner can export them.
  private func environment(_ node: RubricNode) throws -> [String: String] {
    var env: [String: String] = [:]
    for entry in try node.mapping(allowed: nil).entries {
      let valid = entry.key.first.map { $0 == "_" || $0.isASCII && $0.isLetter } == true
        && entry.key.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
      guard valid else {
        throw entry.keyNode.invalid("\"\(entry.key)\" is not a valid environment variable name")
      }
      env[entry.key] = try entry.value.string()
    }
    return env
  }

  private func nonNegativeInt(_ node: RubricNode) throws -> Int {
    let value = try node.int()
    guard value >= 0 else { throw node.invalid("must be 0 or more, got \(value)") }
    return value
  }

  private func positiveInt(_ node: RubricNode) throws -> Int {
    let value = try node.int()
    guard value >= 1 else { throw node.invalid("must be 1 or more, got \(value)") }
    return value
  }

  private func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
