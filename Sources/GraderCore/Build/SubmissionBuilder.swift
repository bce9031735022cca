import Foundation

/// Compiles a submission for a rubric, once per distinct content: regrading
/// unchanged code compiles nothing, and a failed compile is remembered too.
public struct SubmissionBuilder: Sendable {
  public var module: MPIModule
  public var cache: URL
  /// A compile that takes longer is stopped (a type checker can be made to spin).
  public var compileTimeout: Double = 300

  public init(module: MPIModule, cache: URL) {
    self.module = module
    self.cache = cache
  }

  /// The binary (nil when the build failed) and what the build reported.
  /// - Parameter threadSanitizer: instrument the program for a race check (with debug
  ///   lines, so a report can name them).
  public func build(
    _ rubric: Rubric, submission: URL, threadSanitizer: Bool = false
  ) throws -> (binary: URL?, result: BuildResult) {
    let fm = FileManager.default
    let flags = rubric.flags + (threadSanitizer ? [rubric.language == .c ? "-fsanitize=thread" : "-sanitize=thread", "-g"] : [])
    var files: [(name: String, url: URL)] = []
    for name in rubric.sources {
      let url = submission.appendingPathComponent(name)
      guard fm.fileExists(atPath: url.path) else {
        let diagnostic = Diagnostic(
          file: name, line: 0, column: 0, severity: "error",
          message: "the submission has no \(name): the exercise expects this file in \(submission.path)")
        return (nil, BuildResult(verdict: .compileError, seconds: 0, cached: false, diagnostics: [diagnostic], log: diagnostic.description))
      }
      files.append((name, url))
    }
    // Trusted files come from the exercise, never from the submission.
    files += rubric.support.map { ($0.lastPathComponent, $0) }

    var hash = SHA256()
    hash.update("\(module.key)\n\(rubric.language.rawValue)\n\(flags.joined(separator: " "))\n")
    for file in files {
      hash.update("\(file.name)\n")
      hash.update(try Data(contentsOf: file.url))
    }
    let key = String(hash.hexDigest().prefix(32))
    let directory = cache.appendingPathComponent("builds/\(key)")
    let binary = directory.appendingPathComponent("program")
    let record = directory.appendingPathComponent("build.json")
    if let data = fm.contents(atPath: record.path),
      var result = try? JSONDecoder().decode(BuildResult.self, from: data)
    {
      result.cached = true
      result.seconds = 0
      return (result.verdict == .passed ? binary : nil, result)
    }

    let staging = cache.appendingPathComponent("builds/staging-\(UUID().uuidString)")
    try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: staging) }
    for file in files { try fm.copyItem(at: file.url, to: staging.appendingPathComponent(file.name)) }
    let sources = files.map { staging.appendingPathComponent($0.name) }
    let output = staging.appendingPathComponent("program")

    let outcome: CompileOutcome
    do {
      switch rubric.language {
      case .swift:
        outcome = try SwiftCompiler.compile(sources, flags: flags, module: module, output: output, timeout: compileTimeout)
      case .c:
        let result = try Command.run(
          ["mpicc"] + flags + sources.map(\.path) + ["-o", output.path, "-lm"], in: staging, timeout: compileTimeout)
        let log = result.stderr + result.stdout
        outcome = CompileOutcome(
          succeeded: result.status == 0, diagnostics: SwiftCompiler.parseDiagnostics(log), log: log, seconds: result.seconds)
      }
    } catch CommandError.timedOut(_, let seconds) {
      outcome = CompileOutcome(
        succeeded: false,
        diagnostics: [Diagnostic(file: rubric.sources[0], line: 0, column: 0, severity: "error", message: "compiling took longer than \(Int(seconds)) s and was stopped")],
        log: "compile timed out after \(Int(seconds)) s", seconds: seconds)
    }
    let result = BuildResult(
      verdict: outcome.succeeded ? .passed : .compileError, seconds: outcome.seconds, cached: false,
      diagnostics: outcome.diagnostics.filter { $0.severity != "note" },
      log: outcome.log.replacingOccurrences(of: staging.path + "/", with: ""))
    try JSONEncoder().encode(result).write(to: staging.appendingPathComponent("build.json"))
    try? fm.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? fm.removeItem(at: directory)
    try? fm.moveItem(at: staging, to: directory)
    return (outcome.succeeded ? binary : nil, result)
  }
}
