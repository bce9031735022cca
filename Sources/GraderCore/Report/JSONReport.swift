import Foundation

/// Renders results as JSON for gradebooks and other tools: the ``ExerciseResult`` fields as
/// they are encoded (so ``decode(_:)`` reads them back), plus `score`, `maxScore` and
/// `allPassed`, which are computed and would otherwise be missing.
///
/// Unlike XML, JSON can carry any Unicode text (controls become `\u001b`), so output is not
/// cleaned, only capped like in the JUnit report: a 10 MB output must not make a 10 MB
/// report. A capped stream is marked `truncated`. Keys are sorted and dates are ISO 8601
/// in UTC with whole seconds, so two runs on the same results give the same bytes.
public enum JSONReport {
  /// The format version, bumped when a field changes meaning or disappears.
  public static let version = 1

  /// The document: `{"version", "score", "maxScore", "exercises": [...]}`.
  public static func render(_ results: [ExerciseResult], options: ReportOptions = ReportOptions()) throws -> Data {
    let exercises = results.map { Exercise(result: capped(options.visible($0), limit: options.outputLimit)) }
    let document = Document(
      version: version, score: results.reduce(0) { $0 + $1.score },
      maxScore: results.reduce(0) { $0 + $1.maxScore }, exercises: exercises)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
    return try encoder.encode(document)
  }

  /// The exercises of a document that ``render(_:options:)`` wrote.
  public static func decode(_ data: Data) throws -> [ExerciseResult] {
    struct Exercises: Decodable { var exercises: [ExerciseResult] }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
    return try decoder.decode(Exercises.self, from: data).exercises
  }

  /// A NaN or infinite number of points is a bug upstream, but the report must still be
  /// written (and show it) rather than fail: JSON has no such numbers, so they become strings.
  static let nonFinite = (positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

  struct Document: Encodable {
    var version: Int
    var score: Double
    var maxScore: Double
    var exercises: [Exercise]
  }

  /// An ``ExerciseResult`` encoded as itself, with its computed totals beside its fields.
  struct Exercise: Encodable {
    var result: ExerciseResult
    enum Keys: String, CodingKey { case score, maxScore, allPassed }

    func encode(to encoder: any Encoder) throws {
      try result.encode(to: encoder)
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(result.score, forKey: .score)
      try container.encode(result.maxScore, forKey: .maxScore)
      try container.encode(result.allPassed, forKey: .allPassed)
    }
  }

  /// `result` with each output stream and the build log cut to `limit` bytes.
  static func capped(_ result: ExerciseResult, limit: Int) -> ExerciseResult {
    func cap(_ text: String) -> (String, Bool) {
      text.utf8.count > limit ? (String(decoding: XMLText.capped(Array(text.utf8), limit: limit), as: UTF8.self), true) : (text, false)
    }
    var result = result
    result.build.log = cap(result.build.log).0
    for c in result.cases.indices {
      for o in result.cases[c].outputs.indices {
        var output = result.cases[c].outputs[o]
        let (stdout, cutOut) = cap(output.stdout), (stderr, cutErr) = cap(output.stderr)
        output.stdout = stdout
        output.stderr = stderr
        output.truncated = output.truncated || cutOut || cutErr
        result.cases[c].outputs[o] = output
      }
    }
    return result
  }
}
