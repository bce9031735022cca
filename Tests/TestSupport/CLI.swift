import Foundation
import GraderCore

/// Runs the real `hpcgrade` binary, built next to the test bundle.
public enum CLI {
  public static let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("hpcgrade")

  /// The CLI's own build cache for tests, apart from the user's.
  public static let cache = MPIPrograms.packageRoot.appendingPathComponent(".cache/test/cli")

  public static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandOutput {
    var environment = ProcessInfo.processInfo.environment
    environment["HPCGRADE_CACHE"] = cache.path
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { _, new in new }
    return try Command.run([binary.path] + arguments, in: MPIPrograms.packageRoot, environment: environment)
  }

  /// Processes still running a program from `directory`: after a grading ends
  /// there must be none.
  public static func processes(runningFrom directory: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry in
      guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
      let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      return command.contains(directory) ? "\(entry): \(command)" : nil
    }
  }
}
