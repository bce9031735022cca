import Foundation

@testable import GraderCore

/// A throwaway exercise tree (`rubrics/`, `exercises/`) in a temp directory, because the
/// loader checks that every referenced file exists.
final class RubricSandbox {
  let root: URL
  var rubrics: URL { root.appendingPathComponent("rubrics") }

  init() throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("rubric-tests-\(UUID().uuidString)").standardizedFileURL
    try FileManager.default.createDirectory(at: rubrics, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// Writes `contents` to `path` (relative to the sandbox root), creating directories.
  @discardableResult
  func write(_ path: String, _ contents: String = "") throws -> URL {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// Parses `yaml` as if it were `rubrics/hello-mpi.yaml`.
  func parse(_ yaml: String) throws -> Rubric {
    try RubricLoader.parse(yaml: yaml, file: "rubrics/hello-mpi.yaml", baseDirectory: rubrics)
  }

  /// The rendered error of parsing `yaml`, or nil if it parsed.
  func error(_ yaml: String) -> String? {
    do {
      _ = try parse(yaml)
      return nil
    } catch {
      return "\(error)"
    }
  }
}
