import Foundation

/// The reference solution's output for a case, produced on demand and cached on
/// disk by the reference binary and the case's run settings, so the golden run
/// happens once per machine, not once per student.
struct ReferenceRuns {
  let grader: Grader
  let rubric: Rubric

  /// Nil when no check of the case compares with the reference.
  func outputs(for testCase: RubricCase) throws -> [RankOutput]? {
    let needed = testCase.checks.contains { if case .output(.reference) = $0.kind { return true } else { return false } }
    guard needed else { return nil }
    guard let directory = rubric.reference else { throw GradingError.noReference(rubric.location.file) }
    let (binary, build) = try grader.builder.build(rubric, submission: directory)
    guard let binary else {
      throw GradingError.referenceFailed(rubric.id, "it does not compile:\n\(build.log)")
    }
    let spec = grader.runSpec(testCase, binary: binary)
    var key = SHA256()
    key.update(binary.path)
    key.update("\(spec.ranks) \(spec.threads) \(spec.pinned) \(spec.arguments) \(spec.stdin ?? "") \(spec.environment.sorted { $0.key < $1.key })")
    let file = grader.builder.cache.appendingPathComponent("golden/\(key.hexDigest().prefix(32)).json")
    if let data = FileManager.default.contents(atPath: file.path),
      let outputs = try? JSONDecoder().decode([RankOutput].self, from: data)
    {
      return outputs
    }
    let outcome = try Launcher.run(spec, host: grader.host)
    guard outcome.ending == .exited(status: 0) else {
      throw GradingError.referenceFailed(rubric.id, "case \"\(testCase.name)\" ended with \(outcome.ending)")
    }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    // ReportFile's atomic write: Foundation's `.atomic` leaves an empty folder in /tmp per write.
    try ReportFile.write(JSONEncoder().encode(outcome.outputs), to: file.path)
    return outcome.outputs
  }
}

public enum GradingError: Error, CustomStringConvertible {
  case noReference(String)
  case referenceFailed(String, String)
  case submissionMissing(String)

  public var description: String {
    switch self {
    case .noReference(let file): "\(file): a check compares with the reference, but the rubric names no `reference`"
    case .referenceFailed(let id, let why): "the reference solution of \(id) failed: \(why)"
    case .submissionMissing(let path): "no submission at \(path): give the folder that holds the exercise's files"
    }
  }
}
