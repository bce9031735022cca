import Foundation

/// Where rubrics, exercises and the cache live, and how names given on the
/// command line become files.
public struct Workspace: Sendable {
  public var root: URL
  public var rubrics: URL
  public var cache: URL

  public init(root: URL, rubrics: URL? = nil, cache: URL? = nil) {
    self.root = root
    self.rubrics = rubrics ?? root.appendingPathComponent("rubrics")
    self.cache = cache ?? SourceLocator.cacheDirectory()
  }

  /// The checkout the running binary belongs to.
  public static func current(rubrics: String?, cache: String?) throws -> Workspace {
    guard let root = SourceLocator.packageRoot() else { throw WorkspaceError.noCheckout }
    return Workspace(
      root: root, rubrics: rubrics.map { URL(fileURLWithPath: $0) }, cache: cache.map { URL(fileURLWithPath: $0) })
  }

  /// A rubric given as a path (`rubrics/x.yaml`) or as an exercise id (`x`).
  public func rubric(_ name: String) throws -> Rubric {
    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
      guard FileManager.default.fileExists(atPath: name) else { throw WorkspaceError.noRubric(name, rubrics.path) }
      return try RubricLoader.load(from: URL(fileURLWithPath: name))
    }
    let file = rubrics.appendingPathComponent("\(name).yaml")
    guard FileManager.default.fileExists(atPath: file.path) else {
      let known = (try? RubricLoader.loadAll(directory: rubrics).map(\.id).joined(separator: ", ")) ?? ""
      throw WorkspaceError.noRubric(name, known.isEmpty ? rubrics.path : known)
    }
    return try RubricLoader.load(from: file)
  }

  public func allRubrics() throws -> [Rubric] { try RubricLoader.loadAll(directory: rubrics) }

  /// Students edit the starter in place: `exercises/<id>/starter`.
  public func defaultSubmission(for rubric: Rubric) -> URL {
    root.appendingPathComponent("exercises/\(rubric.id)/starter")
  }

  public func grader() throws -> Grader {
    try Grader(sources: root.appendingPathComponent("Sources"), cache: cache)
  }
}

public enum WorkspaceError: Error, CustomStringConvertible {
  case noCheckout
  case noRubric(String, String)

  public var description: String {
    switch self {
    case .noCheckout: "cannot find the hpcgrade checkout (Sources/MPI): run from it or set HPCGRADE_ROOT"
    case .noRubric(let name, let known): "no rubric \"\(name)\"; known exercises: \(known)"
    }
  }
}
