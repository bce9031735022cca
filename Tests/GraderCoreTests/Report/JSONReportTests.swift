import Foundation
import Testing

@testable import GraderCore

@Suite struct JSONReportTests {
  typealias F = ReportFixtures

  /// The synthesized encoding, to compare results that are not Equatable.
  func canonical(_ results: [ExerciseResult]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return try encoder.encode(results)
  }

  func object(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func roundTripsIntoExerciseResults() throws {
    let data = try JSONReport.render(F.all, options: ReportOptions(showHidden: true))
    let decoded = try JSONReport.decode(data)
    #expect(try canonical(decoded) == canonical(F.all))
    #expect(decoded.map(\.score) == F.all.map(\.score))
  }

  @Test func carriesScoresAndIsoDatesWithSortedKeys() throws {
    let data = try JSONReport.render([F.wrongAnswer, F.passed])
    let document = try object(data)
    #expect(document["version"] as? Int == 1)
    #expect(document["score"] as? Double == 4.5)
    #expect(document["maxScore"] as? Double == 8)
    let exercises = try #require(document["exercises"] as? [[String: Any]])
    #expect(exercises.first?["score"] as? Double == 1.5)
    #expect(exercises.first?["maxScore"] as? Double == 5)
    #expect(exercises.first?["allPassed"] as? Bool == false)
    #expect(exercises.first?["timestamp"] as? String == "2025-11-24T16:00:00Z")
    let text = String(decoding: data, as: UTF8.self)
    let allPassed = try #require(text.range(of: "\"allPassed\"")), build = try #require(text.range(of: "\"build\""))
    #expect(allPassed.lowerBound < build.lowerBound)
    #expect(try JSONReport.render([F.wrongAnswer, F.passed]) == data)
  }

  @Test func nonFinitePointsDoNotStopTheReport() throws {
    var odd = F.passed
    odd.cases[0].checks[0].points = .infinity
    let decoded = try JSONReport.decode(try JSONReport.render([odd]))
    #expect(decoded.first?.cases.first?.checks.first?.points == .infinity)
  }

  @Test func hiddenCasesAreWithheldUnlessAsked() throws {
    let hidden = String(decoding: try JSONReport.render([F.hidden]), as: UTF8.self)
    #expect(!hidden.contains("SECRET"))
    #expect(hidden.contains(ReportOptions.withheld))
    let shown = String(decoding: try JSONReport.render([F.hidden], options: ReportOptions(showHidden: true)), as: UTF8.self)
    #expect(shown.contains("SECRET-OUTPUT"))
  }

  @Test func hugeOutputIsCappedAndMarkedTruncated() throws {
    let big = String(repeating: "y", count: 10 * 1024 * 1024)
    let data = try JSONReport.render([F.printing(big, stderr: "\u{1B}[31mkept raw\u{0}")])
    #expect(data.count < 3 * XMLText.defaultLimit)
    let output = try #require(JSONReport.decode(data).first?.cases.first?.outputs.first)
    #expect(output.truncated)
    #expect(output.stdout.contains("[… \(big.utf8.count - XMLText.defaultLimit) bytes dropped …]"))
    #expect(output.stderr == "\u{1B}[31mkept raw\u{0}")
  }
}
