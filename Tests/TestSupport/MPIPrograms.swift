import Foundation
import GraderCore

/// Compiles and runs small MPI programs for tests, through the same module cache
/// and compiler invocation the grader uses on submissions.
public enum MPIPrograms {
  /// The checkout, found from this file's location.
  public static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The test runs' cache: inside the checkout, ignored by git.
  public static let cache = packageRoot.appendingPathComponent(".cache/test")

  public static let toolchain: Result<Toolchain, Error> = Result { try Toolchain.discover() }

  /// Built once per test process; every test that compiles MPI code waits for it.
  public static let module: Result<MPIModule, Error> = Result {
    try MPIModuleCache.ensure(
      sources: packageRoot.appendingPathComponent("Sources"), cache: cache, toolchain: toolchain.get())
  }

  /// Compiles `source` as `main.swift` (cached by content) and returns the binary,
  /// or the compiler's output as the error.
  public static func compile(_ source: String, flags: [String] = ["-O"]) throws -> URL {
    let module = try module.get()
    let key = SHA256.hex(module.key + flags.joined(separator: " ") + source).prefix(24)
    let dir = cache.appendingPathComponent("programs/\(key)")
    let binary = dir.appendingPathComponent("main")
    if FileManager.default.fileExists(atPath: binary.path) { return binary }
    let staging = cache.appendingPathComponent("programs/staging-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: staging) }
    let file = staging.appendingPathComponent("main.swift")
    try source.write(to: file, atomically: true, encoding: .utf8)
    let outcome = try SwiftCompiler.compile(
      [file], flags: flags, module: module, output: staging.appendingPathComponent("main"))
    guard outcome.succeeded else { throw ProgramError.compileFailed(outcome.log) }
    try? FileManager.default.moveItem(at: staging, to: dir)
    return binary
  }

  /// Runs `binary` on `ranks` ranks in the grader's sandbox, so concurrent tests
  /// never share MPI's shared-memory files.
  public static func run(
    _ binary: URL, ranks: Int, arguments: [String] = [], timeout: Double = 60
  ) throws -> MPIRun {
    let spec = RunSpec(binary: binary, ranks: ranks, pinned: false, arguments: arguments, timeout: timeout)
    return MPIRun(try Launcher.run(spec))
  }
}

/// One run's output by rank, in the shape MPI tests assert on.
public struct MPIRun: Sendable {
  /// The exit status; 128 + n for signal n, -1 for a timeout.
  public var status: Int32
  public var outcome: RunOutcome
  /// mpirun's own messages, then every rank's stderr.
  public var stderr: String {
    ([outcome.launcherMessages] + outcome.outputs.map(\.stderr)).joined(separator: "\n")
  }

  init(_ outcome: RunOutcome) {
    self.outcome = outcome
    switch outcome.ending {
    case .exited(let status): self.status = status
    case .signaled(let signal, _): status = 128 + signal
    case .timedOut, .outputLimit, .stuck: status = -1
    }
  }

  /// The lines rank `rank` printed to stdout, in order.
  public func lines(rank: Int) -> [String] { split(outcome.outputs[rank].stdout) }

  /// The lines rank `rank` printed to stderr.
  public func errorLines(rank: Int) -> [String] { split(outcome.outputs[rank].stderr) }

  /// Everything the ranks printed to stdout.
  public var stdout: String { outcome.outputs.map(\.stdout).joined() }

  private func split(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map(String.init)
  }
}

public enum ProgramError: Error, CustomStringConvertible {
  case compileFailed(String)
  public var description: String {
    switch self {
    case .compileFailed(let log): "test program did not compile:\n\(log)"
    }
  }
}
