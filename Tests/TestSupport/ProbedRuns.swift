import Foundation
import GraderCore

/// Runs MPI programs with the deadlock probe preloaded, as the grader does.
public enum ProbedRuns {
  public static let library: Result<URL, Error> = Result {
    try ProbeLibrary.ensure(
      sources: MPIPrograms.packageRoot.appendingPathComponent("Sources"), cache: MPIPrograms.cache,
      toolchain: MPIPrograms.toolchain.get())
  }

  public static func run(
    _ binary: URL, ranks: Int, arguments: [String] = [], timeout: Double = 30, strictSends: Bool = false
  ) throws -> RunOutcome {
    let probe = ProbeSettings(library: try library.get(), strictSends: strictSends)
    return try Launcher.run(RunSpec(binary: binary, ranks: ranks, arguments: arguments, timeout: timeout, probe: probe))
  }

  /// The 1-based line of the first line of `source` that contains `snippet`.
  public static func line(of snippet: String, in source: String) -> Int {
    (source.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(snippet) } ?? -1) + 1
  }
}
