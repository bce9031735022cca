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

  /// Runs `binary` on `ranks` ranks and splits the output by rank.
  public static func run(
    _ binary: URL, ranks: Int, arguments: [String] = [], timeout: Int = 60
  ) throws -> MPIRun {
    var environment = ProcessInfo.processInfo.environment
    environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    let command =
      ["mpirun", "-np", "\(ranks)", "--oversubscribe", "--bind-to", "none", "--tag-output",
       "--timeout", "\(timeout)", binary.path] + arguments
    let result = try Command.run(command, environment: environment)
    return MPIRun(status: result.status, stdout: result.stdout, stderr: result.stderr)
  }
}

/// The output of one `mpirun`, tagged lines split back into ranks.
public struct MPIRun: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String

  /// The lines rank `rank` printed to stdout, in order.
  public func lines(rank: Int) -> [String] { tagged(stdout, "[1,\(rank)]<stdout>:") }

  /// The lines rank `rank` printed to stderr.
  public func errorLines(rank: Int) -> [String] { tagged(stderr, "[1,\(rank)]<stderr>:") }

  /// Every rank's stdout lines, rank by rank.
  public func lines(ranks: Int) -> [[String]] { (0..<ranks).map { lines(rank: $0) } }

  private func tagged(_ text: String, _ prefix: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
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
