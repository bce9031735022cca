import Foundation

/// The MPI probe (`Sources/MPIProbe/*.c`), compiled once per source version and
/// toolchain into the grader's cache, like the MPI module. Not a SwiftPM target:
/// it is a shared library preloaded into the ranks, never linked into anything.
public enum ProbeLibrary {
  /// Where each rank writes its slot (`<dir>/rank.<world rank>`); without it the
  /// preloaded probe does nothing at all.
  public static let directoryVariable = "HPCGRADE_PROBE_DIR"
  /// "1": `MPI_Send` behaves as `MPI_Ssend`, so code that relies on eager buffering
  /// blocks the same way at every message size and on every transport.
  public static let strictSendsVariable = "HPCGRADE_STRICT_SENDS"
  static let flags = ["-O2", "-shared", "-fPIC"]
  static let fileName = "libmpiprobe.so"

  /// The variables a run exports to its ranks (`mpirun -x NAME=value`) to load the probe.
  public static func environment(library: URL, directory: URL, strictSends: Bool = false) -> [String: String] {
    var env = ["LD_PRELOAD": library.path, directoryVariable: directory.path]
    if strictSends { env[strictSendsVariable] = "1" }
    return env
  }

  /// Returns the cached `libmpiprobe.so` for the probe in `sources/MPIProbe` (the
  /// same `Sources` folder `MPIModuleCache.ensure` takes), compiling it first if
  /// needed. Concurrent graders each build in a staging folder; the first rename wins.
  public static func ensure(sources: URL, cache: URL, toolchain: Toolchain) throws -> URL {
    let fm = FileManager.default
    let directory = sources.appendingPathComponent("MPIProbe")
    let files = try fm.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
      .filter { ["c", "h"].contains($0.pathExtension) }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let cFiles = files.filter { $0.pathExtension == "c" }
    guard !cFiles.isEmpty else { throw ProbeLibraryError.sourcesMissing(directory.path) }

    var hash = SHA256()
    hash.update(toolchain.swiftVersion + "\n" + toolchain.mpiVersion + "\n" + flags.joined(separator: " "))
    for file in files {
      hash.update(file.lastPathComponent + "\n")
      hash.update(try Data(contentsOf: file))
    }
    let key = String(hash.hexDigest().prefix(32))
    let target = cache.appendingPathComponent("mpi-probe/\(key)")
    let library = target.appendingPathComponent(fileName)
    if fm.fileExists(atPath: library.path) { return library }

    let staging = cache.appendingPathComponent("mpi-probe/staging-\(UUID().uuidString)")
    try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: staging) }
    let arguments =
      ["mpicc"] + flags + ["-o", staging.appendingPathComponent(fileName).path] + cFiles.map(\.path) + ["-ldl"]
    let result = try Command.run(arguments, in: staging)
    guard result.status == 0 else { throw ProbeLibraryError.compileFailed(result.stderr + result.stdout) }
    do {
      try fm.moveItem(at: staging, to: target)
    } catch where fm.fileExists(atPath: library.path) {
      // Another grader finished the same build first.
    }
    return library
  }
}

public enum ProbeLibraryError: Error, CustomStringConvertible {
  case sourcesMissing(String)
  case compileFailed(String)

  public var description: String {
    switch self {
    case .sourcesMissing(let path):
      "the MPI probe's sources are not in \(path): set HPCGRADE_ROOT to the hpcgrade checkout"
    case .compileFailed(let log): "compiling the MPI probe failed (a grader bug, not the student's):\n\(log)"
    }
  }
}
