import Foundation
import Testing

@testable import GraderCore

/// Each rejected rubric must name file:line:column, the key path and what is wrong,
/// because the author has nothing else to go on.
@Suite struct RubricErrorTests {
  /// A valid header; tests append `cases:` so line numbers stay easy to count (cases start at 5).
  static let header = """
    id: hello-mpi
    title: Hello
    sources: [main.swift]
    cases:

    """

  let box: RubricSandbox
  init() throws { box = try RubricSandbox() }

  @Test func malformedYAMLReportsParserPosition() throws {
    let message = try #require(box.error("""
      id: hello-mpi
      title: Hello: MPI
      """))
    #expect(message == "rubrics/hello-mpi.yaml:2:13: invalid YAML: mapping values are not allowed in this context")
  }

  @Test func unclosedFlowSequenceReportsParserPositionAndContext() throws {
    let message = try #require(box.error("id: x\nsources: [main.swift\ntitle: T\n"))
    #expect(message.hasPrefix("rubrics/hello-mpi.yaml:3:"))
    #expect(message.contains("(while parsing a flow sequence at 2:10)"))
  }

  @Test func duplicateYAMLKeyIsASyntaxError() throws {
    let message = try #require(box.error("id: a\ntitle: T\nid: b\n"))
    #expect(message == #"rubrics/hello-mpi.yaml:1:1: invalid YAML: duplicate key "id" in one mapping"#)
  }

  @Test func emptyDocument() {
    #expect(box.error("# nothing\n") == "rubrics/hello-mpi.yaml:1:1: the rubric is empty")
  }

  @Test func rootMustBeAMapping() {
    #expect(box.error("- id: x\n") == "rubrics/hello-mpi.yaml:1:1: expected a mapping, got a list")
  }

  @Test func unknownTopLevelKeySuggestsClosest() {
    #expect(box.error("id: hello-mpi\ntitel: Hello\n")
      == #"rubrics/hello-mpi.yaml:2:1: unknown key "titel" (did you mean "title"?)"#)
  }

  @Test func unknownKeyWithoutCloseMatchHasNoSuggestion() throws {
    let error = try #require(throws: RubricError.self) { try box.parse("colour: red\n") }
    #expect(error == .unknownKey(
      file: "rubrics/hello-mpi.yaml", line: 1, column: 1, path: "", key: "colour", suggestion: nil))
    #expect(error.description == #"rubrics/hello-mpi.yaml:1:1: unknown key "colour""#)
  }

  @Test func unknownKeyInCase() {
    #expect(box.error(Self.header + """
        - name: one
          rank: 2
          checks: [{exit: 0}]
      """) == #"rubrics/hello-mpi.yaml:6:5: cases[0]: unknown key "rank" (did you mean "ranks"?)"#)
  }

  @Test func unknownKeyInCheck() {
    #expect(box.error(Self.header + """
        - name: one
          checks:
            - exit: 0
            - contains: Hello
              ranks: 0
      """) == #"rubrics/hello-mpi.yaml:9:9: cases[0].checks[1]: unknown key "ranks" (did you mean "rank"?)"#)
  }

  @Test func unknownKeyInOutput() {
    #expect(box.error(Self.header + """
        - name: one
          checks:
            - output: {expect: "1"}
      """) == #"rubrics/hello-mpi.yaml:7:18: cases[0].checks[0].output: unknown key "expect" (did you mean "expected"?)"#)
  }

  @Test func wrongTypeNamesExpectedAndActual() throws {
    let error = try #require(throws: RubricError.self) {
      try box.parse(Self.header + """
          - name: one
            checks: [{exit: 0}]
          - name: two
            checks:
              - output: {expected: "1.0"}
                atol: small
        """)
    }
    #expect(error == .typeMismatch(
      file: "rubrics/hello-mpi.yaml", line: 10, column: 15, path: "cases[1].checks[0].atol",
      expected: "a number", got: "\"small\""))
    #expect(error.description
      == #"rubrics/hello-mpi.yaml:10:15: cases[1].checks[0].atol: expected a number, got "small""#)
  }

  /// Each row is one line of a case (at line 6) and the full expected message after the file name.
  @Test(arguments: [
    ("threads: many", #"6:14: cases[0].threads: expected an integer, got "many""#),
    ("threads: 1.5", "6:14: cases[0].threads: expected an integer, got 1.5"),
    ("ranks: [2, x]", #"6:16: cases[0].ranks[1]: expected an integer, got "x""#),
    ("ranks: [2, 2]", "6:16: cases[0].ranks[1]: 2 is listed twice"),
    ("ranks: -1", "6:12: cases[0].ranks: must be 0 or more, got -1"),
    ("ranks: {np: 2}", "6:12: cases[0].ranks: expected an integer or a list of integers, got a mapping"),
    ("args: --n", #"6:11: cases[0].args: expected a list, got "--n""#),
    ("pinning: sockets", #"6:14: cases[0].pinning: expected "cores" or "none", got "sockets""#),
    ("visibility:", #"6:16: cases[0].visibility: expected "visible" or "hidden", got null"#),
    ("timeout: 0", "6:14: cases[0].timeout: must be greater than 0 seconds, got 0"),
    ("points: -1", "6:13: cases[0].points: must be 0 or more, got -1"),
    ("env: {1X: a}", #"6:11: cases[0].env: "1X" is not a valid environment variable name"#),
    ("env: {A: [x]}", "6:14: cases[0].env.A: expected a string, got a list"),
    ("stdin: a\n    stdin_file: in.txt", "7:5: cases[0]: use either stdin or stdin_file, not both"),
    ("repeat: 0", "6:13: cases[0].repeat: must be 1 or more, got 0"),
    ("stdin_file: in.txt", #"6:17: cases[0].stdin_file: no such file "in.txt" (looked for <rubrics>/in.txt)"#),
  ])
  func badCaseValue(line: String, message: String) throws {
    let text = try #require(box.error(Self.header + "  - name: one\n    \(line)\n    checks: [{exit: 0}]\n"))
    let expected = message.replacingOccurrences(of: "<rubrics>", with: box.rubrics.path)
    #expect(text == "rubrics/hello-mpi.yaml:\(expected)")
  }

  @Test(arguments: [
    ("{exit: 256}", "cases[0].checks[0].exit: an exit status is 0...255, got 256"),
    ("{exit: 0, rank: 0}", "cases[0].checks[0]: rank does not apply to exit checks: they judge the whole run"),
    ("{race_free: true, rank: 0}", "cases[0].checks[0]: rank does not apply to race_free checks: they judge the whole run"),
    ("{race_free: false}", "cases[0].checks[0].race_free: must be true; leave the check out to skip the race check"),
    ("{speed: {speedup: 3}}", #"cases[0].checks[0].speed: missing required key "baseline""#),
    ("{speed: {baseline: reference, speedup: 3}}", "cases[0].checks[0].speed.baseline: needs a reference solution: set the rubric's top-level reference"),
    ("{scaling: {within: 0.5}}", "cases[0].checks[0].scaling: needs threads or ranks: the count the case is compared against"),
    ("{scaling: {threads: 1, ranks: 1, within: 0.5}}", "scale either threads or ranks, not both"),
    ("{scaling: {threads: 1}}", "cases[0].checks[0].scaling: needs a bound: speedup (at least N× faster) or within (at most N× the time)"),
    ("{scaling: {threads: 1, speedup: 2, within: 0.5}}", "give either speedup or within, not both"),
    ("{scaling: {threads: 1, within: 0}}", "cases[0].checks[0].scaling.within: must be a positive number, got 0"),
    ("{scaling: {threads: 1, within: 0.5, runs: 2}}", "cases[0].checks[0].scaling.runs: must be 3 or more, got 2"),
    ("{scaling: {threads: 1, within: 0.5, runs: 9, max_runs: 5}}", "cases[0].checks[0].scaling.max_runs: must be at least runs (9)"),
    ("{scaling: {threads: 1, within: 0.5, measure: 'time: [0-9.]+'}}", "cases[0].checks[0].scaling.measure: the pattern needs a group around the seconds, e.g. 'time: ([0-9.eE+-]+) s'"),
    ("{scaling: {threads: 1, within: 0.5, measure: 'time: ('}}", #"cases[0].checks[0].scaling.measure: is neither wall nor a valid regular expression: "time: (""#),
    ("{scaling: {threads: 1, within: 0.5, repeats: 3}}", #"cases[0].checks[0].scaling: unknown key "repeats""#),
    ("{contains: x, atol: 1}", "cases[0].checks[0]: atol applies only to output checks"),
    ("{contains: x, ignore: t}", "cases[0].checks[0]: ignore applies only to output checks"),
    ("{output: {expected: a}, ignore: '('}", #"cases[0].checks[0].ignore: invalid regular expression "(""#),
    ("{regex: '('}", #"cases[0].checks[0].regex: invalid regular expression "(""#),
    ("{contains: ''}", "cases[0].checks[0].contains: must not be empty"),
    ("{contains: x, rank: first}", #"cases[0].checks[0].rank: expected a rank number, "each" or "all", got "first""#),
    ("{points: 1}", "cases[0].checks[0]: a check needs one of exit, output, regex, contains, not_contains, speed, scaling, race_free"),
    ("{output: {}}", "cases[0].checks[0].output: needs one of expected, file, reference"),
    ("{output: {expected: a, reference: true}}", #"cases[0].checks[0].output: give exactly one of expected, file, reference, not both "expected" and "reference""#),
    ("{output: {reference: true}}", "cases[0].checks[0].output.reference: needs a reference solution: set the rubric's top-level reference"),
    ("{output: {reference: false}}", "cases[0].checks[0].output.reference: must be true; to compare against fixed text use expected or file"),
  ])
  func badCheckValue(check: String, message: String) throws {
    let text = try #require(box.error(Self.header + "  - name: one\n    checks: [\(check)]\n"))
    #expect(text.hasPrefix("rubrics/hello-mpi.yaml:6:"), "\(text)")
    #expect(text.hasSuffix(message), "\(text)")
  }

  @Test func missingRequiredTopLevelKeyPointsAtRoot() {
    #expect(box.error("id: hello-mpi\nsources: [main.swift]\ncases: []\n")
      == #"rubrics/hello-mpi.yaml:1:1: missing required key "title""#)
  }

  @Test func missingRequiredCaseKeyPointsAtEnclosingMapping() {
    #expect(box.error(Self.header + """
        - ranks: 2
          checks: [{exit: 0}]
      """) == #"rubrics/hello-mpi.yaml:5:5: cases[0]: missing required key "name""#)
  }

  @Test func badIDIsRejected() {
    #expect(box.error("id: Hello_MPI\n")
      == #"rubrics/hello-mpi.yaml:1:5: id: must use only lowercase letters, digits and dashes, got "Hello_MPI""#)
  }

  @Test func twoKindKeysInOneCheck() {
    #expect(box.error(Self.header + """
        - name: one
          checks:
            - exit: 0
              regex: "Hello"
      """) == #"rubrics/hello-mpi.yaml:8:9: cases[0].checks[0]: a check has exactly one kind, this one has "exit" and "regex"; split it into two checks"#)
  }

  @Test func missingExpectedFileNamesRubricLine() throws {
    let error = try #require(throws: RubricError.self) {
      try box.parse(Self.header + """
          - name: one
            checks:
              - output: {file: expected/missing.txt}
        """)
    }
    let looked = box.rubrics.appendingPathComponent("expected/missing.txt").path
    #expect(error.description == """
      rubrics/hello-mpi.yaml:7:24: cases[0].checks[0].output.file: no such file "expected/missing.txt" (looked for \(looked))
      """)
  }

  @Test func missingReferenceAndSupportAndSourcesInReference() throws {
    #expect(box.error("id: a\ntitle: A\nsources: [main.swift]\nreference: ../solution\n")?
      .hasPrefix(#"rubrics/hello-mpi.yaml:4:12: reference: no such directory "../solution""#) == true)
    try box.write("solution/other.swift")
    #expect(box.error("id: a\ntitle: A\nsources: [main.swift]\nreference: ../solution\n")
      == #"rubrics/hello-mpi.yaml:4:12: reference: the reference solution "../solution" lacks "main.swift" (listed in sources)"#)
    try box.write("rubrics/main.swift")
    #expect(box.error("id: a\ntitle: A\nsources: [main.swift]\nsupport: [main.swift]\n")
      == #"rubrics/hello-mpi.yaml:4:11: support[0]: "main.swift" is also a source file; a support file cannot be a submission file"#)
    #expect(box.error("id: a\ntitle: A\nsources: [../main.swift]\n")
      == #"rubrics/hello-mpi.yaml:3:11: sources[0]: must be a relative path inside the submission, got "../main.swift""#)
  }

  @Test func duplicateCaseNamesAfterExpansion() {
    #expect(box.error(Self.header + """
        - name: scale
          ranks: [1, 2]
          checks: [{exit: 0}]
        - name: scale (np=2)
          checks: [{exit: 0}]
      """) == #"rubrics/hello-mpi.yaml:8:11: cases[1].name: duplicate case name "scale (np=2)" (also the name of the case at 5:11)"#)
  }

  @Test func rankSelectorOutOfRangeForOneExpansion() {
    #expect(box.error(Self.header + """
        - name: scale
          ranks: [4, 2]
          checks:
            - contains: hi
              rank: 3
      """) == "rubrics/hello-mpi.yaml:9:15: cases[0].checks[0].rank: rank 3 does not exist: the case runs with np=2 (ranks 0...1)")
  }

  @Test func checkPointsMustFitTheCase() {
    #expect(box.error(Self.header + """
        - name: one
          points: 2
          checks:
            - {exit: 0, points: 1}
            - {contains: x, points: 1.5}
      """) == "rubrics/hello-mpi.yaml:6:13: cases[0].points: the checks' points add up to 2.5, not 2")
    #expect(box.error(Self.header + """
        - name: one
          checks:
            - {exit: 0, points: 3}
            - {contains: x}
      """) == "rubrics/hello-mpi.yaml:5:5: cases[0]: the checks' own points (3) exceed the case's default of 1; set the case's points")
  }
}
