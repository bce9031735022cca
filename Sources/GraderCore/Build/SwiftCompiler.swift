import Foundation

/// What a compile produced: a binary, or the diagnostics that explain why not.
public struct CompileOutcome: Sendable {
  public var succeeded: Bool
  public var diagnostics: [Diagnostic]
  public var log: String
  public var seconds: Double
}

/// Compiles a student's Swift files (plus trusted support files) against the MPI module.
public enum SwiftCompiler {
  public static func compile(
    _ files: [URL], flags: [String], module: MPIModule, output: URL, timeout: Double? = nil
  ) throws -> CompileOutcome {
    // One file is compiled as a script (top-level code); several need an entry
    // point, and swiftc treats main.swift as it.
    let arguments =
      [module.toolchain.swiftc] + flags + files.map(\.path) + module.compileFlags
      + ["-module-name", "main", "-o", output.path]
    let result = try Command.run(arguments, in: output.deletingLastPathComponent(), timeout: timeout)
    let log = result.stderr + result.stdout
    return CompileOutcome(
      succeeded: result.status == 0 && FileManager.default.fileExists(atPath: output.path),
      diagnostics: parseDiagnostics(log), log: log, seconds: result.seconds)
  }

  /// Reads `path:line:col: severity: message` lines, keeping only the file's name:
  /// the build folder is the grader's, not the student's.
  public static func parseDiagnostics(_ log: String) -> [Diagnostic] {
    log.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
      guard parts.count == 5, let row = Int(parts[1]), let column = Int(parts[2]) else { return nil }
      let severity = parts[3].trimmingCharacters(in: .whitespaces)
      guard ["error", "warning", "note"].contains(severity) else { return nil }
      return Diagnostic(
        file: URL(fileURLWithPath: String(parts[0])).lastPathComponent, line: row, column: column,
        severity: severity, message: parts[4].trimmingCharacters(in: .whitespaces))
    }
  }
}
