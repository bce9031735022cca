import Foundation
import Testing

@testable import GraderCore

@Suite struct JUnitReportTests {
  typealias F = ReportFixtures

  @Test func everyKindOfResultValidatesAgainstBothSchemas() throws {
    for result in F.all {
      let (errors, _) = try F.validate(JUnitReport.render([result]))
      #expect(errors.isEmpty, "\(result.exercise): \(errors)")
    }
    let (errors, _) = try F.validate(JUnitReport.render(F.all, options: ReportOptions(showHidden: true)))
    #expect(errors.isEmpty, "\(errors)")
    #expect(try F.validate(JUnitReport.render([])).errors.isEmpty)
  }

  /// Guards against a vacuous check: the Ant schema does reject what it should.
  @Test func theSchemasAreStrictWhereTheReportIsCareful() throws {
    let good = JUnitReport.render([F.passed])
    let attributed = good.replacingOccurrences(of: "<testsuites>", with: "<testsuites name=\"x\">")
    #expect(try F.validate(attributed).errors.contains { $0.hasPrefix("ant-junit.xsd") })
    let testcaseOutput = good.replacingOccurrences(
      of: "time=\"0.000\"/>", with: "time=\"0.000\"><system-out>x</system-out></testcase>")
    #expect(try F.validate(testcaseOutput).errors.contains { $0.hasPrefix("ant-junit.xsd") })
    let rawEscape = good.replacingOccurrences(of: "sum = 3", with: "\u{1B}[31m")
    #expect(try F.validate(rawEscape).errors.count == 2)
  }

  /// The Ant schema wants non-empty suite names and hostnames, and times are never negative.
  @Test func blankNamesAndOddNumbersStillValidate() throws {
    var odd = F.printing("x")
    odd.exercise = " \u{1B}[0m "
    odd.hostname = ""
    odd.cases[0].seconds = -1
    odd.cases[0].checks[0].points = .nan
    let xml = JUnitReport.render([odd])
    #expect(xml.contains(#"name="exercise""#) && xml.contains(#"hostname="localhost""#))
    #expect(try F.validate(xml).errors.isEmpty)
  }

  @Test func suiteCountsAndAttributes() {
    let xml = JUnitReport.render([F.wrongAnswer, F.compileError])
    #expect(xml.contains(
      #"<testsuite name="allreduce" tests="4" failures="2" errors="0" skipped="0" time="2.970" timestamp="2025-11-24T16:00:00" hostname="node1" id="0" package="allreduce">"#))
    #expect(xml.contains(#"<testsuite name="ring" tests="3" failures="1" errors="0" skipped="2""#))
    #expect(xml.contains(#"id="1" package="ring""#))
    #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"))
  }

  @Test func failedCheckHasOneFailureWithEverythingToFixIt() {
    let xml = JUnitReport.render([F.wrongAnswer])
    #expect(xml.contains(#"<testcase name="large / value" classname="allreduce" time="1.250">"#))
    #expect(xml.contains(#"<testcase name="large / runtime" classname="allreduce" time="0.000">"#))
    #expect(xml.contains(#"<failure type="wrong-answer" message="rank 0: expected 5050, got 5000">"#))
    #expect(xml.contains("line 1: expected 5050\n        got 5000"))
    #expect(xml.contains("Reproduce: hpcgrade run large --np 2"))
    #expect(xml.contains(#"<failure type="too-slow" message="2.5x the reference">"#))
    #expect(xml.contains(#"<testcase name="small / value" classname="allreduce" time="1.250"/>"#))
  }

  @Test func compileErrorFailsTheBuildAndSkipsTheCases() {
    let xml = JUnitReport.render([F.compileError])
    #expect(xml.contains(
      #"<failure type="compile-error" message="main.swift:3:5: error: cannot find &apos;x&apos; in scope">"#))
    #expect(xml.contains(#"<skipped message="not run: the build failed"/>"#))
    #expect(xml.contains("<testcase name=\"four-ranks / order\" classname=\"ring\" time=\"1.250\">\n      <skipped/>"))
    #expect(xml.contains("<system-err>=== build log ===\nmain.swift:3:5"))
  }

  @Test func graderErrorIsAnErrorNotAFailure() {
    let xml = JUnitReport.render([F.graderError])
    #expect(xml.contains(#"<error type="grader-error" message="mpirun not found in PATH">"#))
    #expect(!xml.contains("<failure"))
    #expect(xml.contains(#"failures="0" errors="1""#))
  }

  @Test func crashThatNoCheckShowsGetsARunRow() {
    let xml = JUnitReport.render([F.crash])
    #expect(xml.contains(#"<testcase name="small / run" classname="scatter" time="1.250">"#))
    #expect(xml.contains(#"<failure type="crash" message="rank 1 was killed by SIGSEGV">"#))
  }

  @Test func propertiesCarryScoreEnvironmentAndPerCaseFacts() {
    let xml = JUnitReport.render([F.wrongAnswer])
    for property in [
      ("score", "1.5"), ("max-score", "5"), ("toolchain", "Swift 6.3.1"), ("mpi-version", "Open MPI 4.1.4"),
      ("host", "node1"), ("timestamp", "2025-11-24T16:00:00Z"), ("case.large.ranks", "2"),
      ("case.large.threads", "1"), ("case.large.rank.1.affinity", "1"), ("case.large.points", "0.5"),
    ] {
      #expect(xml.contains(#"<property name="\#(property.0)" value="\#(property.1)"/>"#), "\(property)")
    }
  }

  @Test func outputGoesToTheSuiteStreamsUnderHeaders() {
    let xml = JUnitReport.render([F.passed])
    #expect(xml.contains("<system-out>=== small · rank 0 · stdout ===\nsum = 3\n</system-out>"))
    #expect(xml.contains("<system-err>=== small · rank 1 · stderr ===\nwarning: slow\n</system-err>"))
  }

  @Test func hiddenCasesKeepTheirVerdictButNotTheirEvidence() throws {
    let xml = JUnitReport.render([F.hidden])
    #expect(!xml.contains("SECRET"))
    #expect(xml.contains(#"<failure type="wrong-answer" message="\#(ReportOptions.withheld)">"#))
    #expect(xml.contains(#"<property name="case.secret.points" value="0"/>"#))
    #expect(xml.contains("=== secret: \(ReportOptions.withheld) ==="))
    let shown = JUnitReport.render([F.hidden], options: ReportOptions(showHidden: true))
    for secret in ["SECRET-ANSWER", "SECRET-INPUT", "SECRET-EXPLANATION", "SECRET-OUTPUT"] {
      #expect(shown.contains(secret))
    }
  }

  // MARK: - Hostile program output

  @Test func ansiColoursAreStripped() throws {
    let (errors, file) = try F.validate(JUnitReport.render([F.printing("\u{1B}[31mred\u{1B}[0m and \u{1B}]0;title\u{07}plain\n")]))
    #expect(errors.isEmpty, "\(errors)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("red and plain\n"))
    #expect(!text.contains("\u{1B}") && !text.contains("[31m") && !text.contains("0;title"))
  }

  @Test func nulAndOtherControlsBecomeVisibleEscapes() throws {
    let (errors, file) = try F.validate(JUnitReport.render([F.printing("a\u{0}b\u{7}c\u{1B}\u{FFFE}\n", stderr: "\u{0}")]))
    #expect(errors.isEmpty, "\(errors)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(#"a\u{0}b\u{7}c\u{1B}\u{FFFE}"#))
    #expect(!text.utf8.contains(0))
  }

  @Test func invalidUTF8BecomesReplacementCharacters() throws {
    let decoded = String(decoding: [0x6F, 0x6B, 0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0x0A] as [UInt8], as: UTF8.self)
    let (errors, file) = try F.validate(JUnitReport.render([F.printing(decoded)]))
    #expect(errors.isEmpty, "\(errors)")
    #expect(try String(contentsOf: file, encoding: .utf8).contains("ok\u{FFFD}\u{FFFD}("))
  }

  @Test func cdataTerminatorAndMarkupAreEscaped() throws {
    let (errors, file) = try F.validate(JUnitReport.render([F.printing("<![CDATA[ x ]]> & \"q\" 'a' </system-out>\r\n")]))
    #expect(errors.isEmpty, "\(errors)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(!text.contains("]]>"))
    #expect(text.contains("&lt;![CDATA[ x ]]&gt; &amp; &quot;q&quot; &apos;a&apos; &lt;/system-out&gt;&#13;\n"))
  }

  @Test func tenMegabytesOfOutputAreCappedWithANote() throws {
    let big = "BEGIN\n" + String(repeating: "0123456789abcdef", count: 10 * 1024 * 1024 / 16) + "\nEND\n"
    let (errors, file) = try F.validate(JUnitReport.render([F.printing(big, stderr: big)]))
    #expect(errors.isEmpty, "\(errors)")
    let text = try String(contentsOf: file, encoding: .utf8)
    let dropped = big.utf8.count - XMLText.defaultLimit
    #expect(text.contains("[… \(dropped) bytes dropped …]"))
    #expect(text.contains("=== noisy · rank 0 · stdout ===\nBEGIN\n") && text.contains("\nEND\n</system-out>"))
    let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? .max
    #expect(size < 3 * XMLText.defaultLimit)
  }
}
