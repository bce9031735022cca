import Foundation
import Testing

@testable import GraderCore

@Suite struct RubricLoaderTests {
  static let full = #"""
    id: hello-mpi
    title: Hello, MPI
    language: swift
    sources: [main.swift]
    support: [../exercises/hello-mpi/harness.swift]
    flags: [-O, -wmo]
    reference: ../exercises/hello-mpi/solution
    timeout: 20
    cases:
      - name: greeting
        ranks: [1, 2, 4]
        threads: 2
        pinning: none
        args: ["--n", 10]
        stdin_file: input.txt
        env: {GREETING: hi, N: 3}
        timeout: 5
        points: 4
        visibility: hidden
        checks:
          - exit: 0
          - output:
              file: expected/out.txt
            rank: 0
            atol: 1e-8
            rtol: 0
            unordered: true
          - regex: "Hello from rank \\d+"
            rank: each
            points: 1
      - name: plain run
        ranks: 0
        stdin: "5\n"
        checks:
          - contains: Done
          - not_contains: TODO
          - output: {reference: true}
    """#

  /// Creates the files `full` refers to.
  static func sandboxForFull() throws -> RubricSandbox {
    let box = try RubricSandbox()
    try box.write("exercises/hello-mpi/harness.swift", "// harness\n")
    try box.write("exercises/hello-mpi/solution/main.swift", "print(1)\n")
    try box.write("rubrics/input.txt", "42\n")
    try box.write("rubrics/expected/out.txt", "Hello\n")
    return box
  }

  @Test func fullRubricParsesIntoExpandedModel() throws {
    let box = try Self.sandboxForFull()
    let rubric = try box.parse(Self.full)
    let exercise = box.root.appendingPathComponent("exercises/hello-mpi")

    #expect(rubric.id == "hello-mpi")
    #expect(rubric.title == "Hello, MPI")
    #expect(rubric.language == .swift)
    #expect(rubric.sources == ["main.swift"])
    #expect(rubric.support.map(\.path) == [exercise.appendingPathComponent("harness.swift").path])
    #expect(rubric.flags == ["-O", "-wmo"])
    #expect(rubric.reference?.path == exercise.appendingPathComponent("solution").path)
    #expect(rubric.timeout == 20)
    #expect(rubric.location == RubricLocation(file: "rubrics/hello-mpi.yaml", line: 1, column: 5))

    #expect(rubric.cases.map(\.name) == [
      "greeting (np=1)", "greeting (np=2)", "greeting (np=4)", "plain run",
    ])
    #expect(rubric.cases.map(\.ranks) == [1, 2, 4, 0])
    #expect(rubric.totalPoints == 13)

    let greeting = rubric.cases[1]
    #expect(greeting.baseName == "greeting")
    #expect(greeting.threads == 2)
    #expect(greeting.pinning == .unpinned)
    #expect(greeting.args == ["--n", "10"])
    #expect(greeting.stdin == "42\n")
    #expect(greeting.stdinFile?.path == box.rubrics.appendingPathComponent("input.txt").path)
    #expect(greeting.env == ["GREETING": "hi", "N": "3"])
    #expect(greeting.timeout == 5)
    #expect(greeting.points == 4)
    #expect(greeting.visibility == .hidden)
    #expect(greeting.location == RubricLocation(file: "rubrics/hello-mpi.yaml", line: 10, column: 5))

    // 4 points: the regex keeps its own 1, the other two split the remaining 3.
    #expect(greeting.checks.map(\.points) == [1.5, 1.5, 1])
    #expect(greeting.checks[0].kind == .exit(0))
    let expectedFile = box.rubrics.appendingPathComponent("expected/out.txt").standardizedFileURL
    #expect(greeting.checks[1].kind == .output(.file(expectedFile, text: "Hello\n")))
    #expect(greeting.checks[1].rank == .rank(0))
    #expect(greeting.checks[1].atol == 1e-8)
    #expect(greeting.checks[1].rtol == 0)
    #expect(greeting.checks[1].unordered)
    #expect(greeting.checks[2].kind == .regex(#"Hello from rank \d+"#))
    #expect(greeting.checks[2].rank == .each)
    #expect(greeting.checks[2].location == RubricLocation(file: "rubrics/hello-mpi.yaml", line: 28, column: 9))

    // Defaults: rubric timeout, 1 point split three ways, all ranks, visible, pinned.
    let plain = rubric.cases[3]
    #expect(plain.name == "plain run")
    #expect(plain.processCount == 1)
    #expect(plain.stdin == "5\n")
    #expect(plain.stdinFile == nil)
    #expect(plain.timeout == 20)
    #expect(plain.threads == 1)
    #expect(plain.pinning == .cores)
    #expect(plain.visibility == .visible)
    #expect(plain.args.isEmpty && plain.env.isEmpty)
    #expect(plain.points == 1)
    let third: Double = 1.0 / 3
    #expect(plain.checks.map(\.points) == [third, third, third])
    #expect(plain.checks.map(\.kind) == [.contains("Done"), .notContains("TODO"), .output(.reference)])
    #expect(plain.checks.allSatisfy { $0.rank == .all && $0.atol == 0 && !$0.unordered })
  }

  @Test func measuredChecksParseWithTheirDefaults() throws {
    let box = try RubricSandbox()
    let naive = try box.write("exercises/sum/naive/main.swift").deletingLastPathComponent()
    let rubric = try box.parse("""
      id: sum
      title: Sum
      sources: [main.swift]
      reference: ../exercises/sum/naive
      cases:
        - name: fast
          ranks: 0
          repeat: 3
          checks:
            - speed: {baseline: ../exercises/sum/naive, speedup: 3}
            - speed: {baseline: reference, within: 1.5, measure: 'time: ([0-9.]+)', runs: 5, warmup: 0, max_runs: 9, confidence: 0.9}
            - scaling: {threads: 1, within: 0.3}
            - scaling: {ranks: 1, speedup: 1.5}
            - race_free: true
      """)
    let c = rubric.cases[0]
    #expect(c.repeatCount == 3)
    #expect(c.checks.map(\.isMeasured) == [true, true, true, true, true])
    #expect(c.checks[0].kind == .timing(TimingSpec(comparison: .program(naive.standardizedFileURL), bound: .speedup(3))))
    #expect(c.checks[0].kind == .timing(TimingSpec(
      comparison: .program(naive.standardizedFileURL), bound: .speedup(3), measure: .wall, runs: 7, warmup: 1, maxRuns: 21,
      confidence: 0.95)))
    #expect(c.checks[1].kind == .timing(TimingSpec(
      comparison: .reference, bound: .within(1.5), measure: .pattern("time: ([0-9.]+)"), runs: 5, warmup: 0, maxRuns: 9,
      confidence: 0.9)))
    #expect(c.checks[2].kind == .timing(TimingSpec(comparison: .threads(1), bound: .within(0.3))))
    #expect(c.checks[3].kind == .timing(TimingSpec(comparison: .ranks(1), bound: .speedup(1.5))))
    #expect(c.checks[4].kind == .raceFree)
    #expect(TimingSpec.Bound.within(0.25).minimumSpeedup == 4)
  }

  @Test func minimalRubricGetsDefaults() throws {
    let box = try RubricSandbox()
    let rubric = try box.parse("""
      id: tiny
      title: Tiny
      sources: [main.c]
      language: c
      cases:
        - name: runs
          checks:
            - exit: 0
              points: 2
            - output: {expected: "1 2 3\\n"}
              points: 0.5
      """)
    #expect(rubric.language == .c)
    #expect(rubric.flags == ["-O"])
    #expect(rubric.timeout == 10)
    #expect(rubric.reference == nil)
    #expect(rubric.support.isEmpty)
    let only = try #require(rubric.cases.first)
    #expect(rubric.cases.count == 1)
    #expect(only.name == "runs")
    #expect(only.ranks == 1)
    // Every check has its own points, so the case is worth their sum.
    #expect(only.points == 2.5)
    #expect(only.checks[1].kind == .output(.inline("1 2 3\n")))
  }

  @Test func loadReadsFileAndResolvesPathsNextToIt() throws {
    let box = try Self.sandboxForFull()
    let url = try box.write("rubrics/hello-mpi.yaml", Self.full)
    let rubric = try RubricLoader.load(from: url)
    #expect(rubric.location.file == url.relativePath)
    #expect(rubric.cases.count == 4)
    #expect(rubric.cases[0].stdin == "42\n")
  }

  @Test func loadAllSortsByIDAndIgnoresOtherFiles() throws {
    let box = try RubricSandbox()
    for id in ["zeta", "alpha", "mid"] {
      try box.write("rubrics/\(id == "alpha" ? "z-file" : id).yaml", """
        id: \(id)
        title: \(id)
        sources: [main.swift]
        cases: [{name: one, checks: [{exit: 0}]}]
        """)
    }
    try box.write("rubrics/notes.txt", "not a rubric")
    try box.write("rubrics/.draft.yaml", "broken: [")
    let rubrics = try RubricLoader.loadAll(directory: box.rubrics)
    #expect(rubrics.map(\.id) == ["alpha", "mid", "zeta"])
  }

  @Test func loadAllRejectsDuplicateIDs() throws {
    let box = try RubricSandbox()
    let text = "id: same\ntitle: Same\nsources: [main.swift]\ncases: [{name: a, checks: [{exit: 0}]}]\n"
    try box.write("rubrics/a.yaml", text)
    let b = try box.write("rubrics/b.yaml", text)
    #expect(throws: RubricError.invalidValue(
      file: b.relativePath, line: 1, column: 5, path: "id",
      message: "duplicate rubric id \"same\", also used by \(box.rubrics.appendingPathComponent("a.yaml").relativePath)")
    ) {
      try RubricLoader.loadAll(directory: box.rubrics)
    }
  }

  @Test func missingRubricFileIsUnreadable() {
    let url = URL(fileURLWithPath: "/nonexistent/rubric.yaml")
    #expect(throws: RubricError.unreadable(file: "/nonexistent/rubric.yaml", reason: "no such file")) {
      try RubricLoader.load(from: url)
    }
  }

  @Test(arguments: [
    ("rank", ["name", "ranks", "threads"], "ranks"),
    ("titel", ["id", "title"], "title"),
    ("Points", ["points"], "points"),
    ("stdin-file", ["stdin", "stdin_file"], "stdin_file"),
    ("expect", ["expected", "file"], "expected"),
    ("colour", ["id", "title", "sources"], nil),
    ("x", ["id"], nil),
  ] as [(String, [String], String?)])
  func suggestsCloseKeys(key: String, candidates: [String], suggestion: String?) {
    #expect(RubricNode.closest(to: key, among: candidates) == suggestion)
  }
}
