import Foundation

/// A finished helper process (compiler, pkg-config, …): its status and output.
public struct CommandOutput: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  public var seconds: Double
}

/// Runs trusted tools the grader needs; student programs go through the launcher.
public enum Command {
  /// Runs `arguments[0]` (looked up on PATH) and collects its output through files,
  /// so a chatty tool cannot fill a pipe and stall.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    timeout: Double? = nil
  ) throws -> CommandOutput {
    guard let executable = which(arguments[0]) else { throw CommandError.notFound(arguments[0]) }
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("hpcgrade-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out")
    let errURL = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = directory }
    // Tools' own temporary files (swift-driver leaves a folder per call) go into the
    // scratch folder, which is removed below.
    var env = environment ?? ProcessInfo.processInfo.environment
    env["TMPDIR"] = scratch.path
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    let start = Date()
    do { try process.run() } catch { throw CommandError.cannotStart(executable, "\(error)") }
    if let timeout, exited.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      if exited.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL) }
      exited.wait()
      throw CommandError.timedOut(arguments[0], timeout)
    } else if timeout == nil {
      exited.wait()
    }
    return CommandOutput(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
      seconds: Date().timeIntervalSince(start))
  }

  /// Runs a tool and returns its trimmed stdout, failing unless it exits 0.
  public static func output(_ arguments: [String]) throws -> String {
    let result = try run(arguments)
    guard result.status == 0 else {
      throw CommandError.failed(arguments.joined(separator: " "), result.status, result.stderr)
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The full path of a program: as given if it has a slash, else the first match on PATH.
  public static func which(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

public enum CommandError: Error, CustomStringConvertible {
  case notFound(String)
  case cannotStart(String, String)
  case failed(String, Int32, String)
  case timedOut(String, Double)

  public var description: String {
    switch self {
    case .notFound(let name): "'\(name)' not found on PATH"
    case .cannotStart(let path, let reason): "cannot start \(path): \(reason)"
    case .timedOut(let command, let seconds): "\(command) did not finish within \(Int(seconds)) s and was stopped"
    case .failed(let command, let status, let stderr):
      "`\(command)` exited with status \(status): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
    }
  }
}
