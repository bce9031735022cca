import Foundation

/// The course's `MPI` module compiled once per source version and toolchain, so a
/// submission costs one `swiftc` of its own files.
public struct MPIModule: Sendable {
  /// Holds MPI.swiftmodule, libMPI.a and CMPI/ (module map and shim).
  public var directory: URL
  public var toolchain: Toolchain
  /// Identifies the module build; part of every submission's cache key.
  public var key: String

  /// Flags that let `swiftc` compile and link a file that does `import MPI`. The
  /// clang module cache sits beside the module, so Open MPI's headers are parsed
  /// once, not on every submission.
  public var compileFlags: [String] {
    ["-I", directory.path, "-Xcc", "-fmodule-map-file=\(directory.path)/CMPI/module.modulemap",
     "-module-cache-path", directory.appendingPathComponent("clang-modules").path]
      + toolchain.mpiIncludeFlags.flatMap { ["-Xcc", $0] }
      + ["-L", directory.path, "-lMPI"] + toolchain.mpiLinkFlags
      // The probe finds the caller's line through this symbol (dlsym).
      + ["-Xlinker", "--export-dynamic-symbol=hpcgrade_mpi_call_site"]
  }
}

public enum MPIModuleCache {
  /// Optimisation flags of the module build. Cross-module optimisation lets the
  /// generic buffer calls specialise in the student's code, for C-like latency.
  static let flags = ["-O", "-wmo", "-cross-module-optimization"]

  /// Returns the cached module for these sources, compiling it first if needed.
  /// Safe when several graders start at once: each builds into its own folder and
  /// the first rename wins.
  public static func ensure(sources: URL, cache: URL, toolchain: Toolchain) throws -> MPIModule {
    let fm = FileManager.default
    let swiftFiles = try fm.contentsOfDirectory(at: sources.appendingPathComponent("MPI"), includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "swift" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    let shimFiles = ["module.modulemap", "shim.h"].map { sources.appendingPathComponent("CMPI/\($0)") }
    guard !swiftFiles.isEmpty else { throw BuildError.moduleSourcesMissing(sources.path) }

    var hash = SHA256()
    hash.update(toolchain.swiftVersion + "\n" + toolchain.mpiVersion + "\n" + flags.joined(separator: " "))
    for file in swiftFiles + shimFiles {
      hash.update(file.lastPathComponent + "\n")
      hash.update(try Data(contentsOf: file))
    }
    let key = String(hash.hexDigest().prefix(32))
    let target = cache.appendingPathComponent("mpi-module/\(key)")
    let module = MPIModule(directory: target, toolchain: toolchain, key: key)
    if fm.fileExists(atPath: target.appendingPathComponent("libMPI.a").path) { return module }

    let staging = cache.appendingPathComponent("mpi-module/staging-\(UUID().uuidString)")
    try fm.createDirectory(at: staging.appendingPathComponent("CMPI"), withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: staging) }
    for file in shimFiles {
      try fm.copyItem(at: file, to: staging.appendingPathComponent("CMPI/\(file.lastPathComponent)"))
    }
    let arguments =
      [toolchain.swiftc] + flags + [
        "-parse-as-library", "-module-name", "MPI",
        "-emit-module", "-emit-module-path", staging.appendingPathComponent("MPI.swiftmodule").path,
        "-emit-library", "-static", "-o", staging.appendingPathComponent("libMPI.a").path,
        "-Xcc", "-fmodule-map-file=\(staging.path)/CMPI/module.modulemap",
      ] + toolchain.mpiIncludeFlags.flatMap { ["-Xcc", $0] } + swiftFiles.map(\.path)
    let result = try Command.run(arguments, in: staging)
    guard result.status == 0 else { throw BuildError.moduleFailed(result.stderr + result.stdout) }
    do {
      try fm.moveItem(at: staging, to: target)
    } catch where fm.fileExists(atPath: target.appendingPathComponent("libMPI.a").path) {
      // Another grader finished the same build first.
    }
    return module
  }
}

public enum BuildError: Error, CustomStringConvertible {
  case moduleSourcesMissing(String)
  case moduleFailed(String)
  case submissionFileMissing(String, directory: String)

  public var description: String {
    switch self {
    case .moduleSourcesMissing(let path):
      "the MPI module's sources are not in \(path)/MPI: set HPCGRADE_ROOT to the hpcgrade checkout"
    case .moduleFailed(let log): "compiling the MPI module failed (a grader bug, not the student's):\n\(log)"
    case .submissionFileMissing(let file, let directory):
      "the submission has no \(file) in \(directory): the rubric expects this file"
    }
  }
}
