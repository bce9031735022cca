import Foundation

/// Finds the hpcgrade checkout, whose Sources/ hold the MPI module the grader compiles
/// for submissions.
public enum SourceLocator {
  /// `HPCGRADE_ROOT` if set, else the first folder above the running executable (or the
  /// working directory) that holds `Sources/MPI`.
  public static func packageRoot() -> URL? {
    if let root = ProcessInfo.processInfo.environment["HPCGRADE_ROOT"] {
      return URL(fileURLWithPath: root)
    }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    for start in [executable.deletingLastPathComponent(), cwd] {
      var dir = start
      while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Sources/MPI/MPI.swift").path) {
          return dir
        }
        dir = dir.deletingLastPathComponent()
      }
    }
    return nil
  }

  /// `HPCGRADE_CACHE`, else `$XDG_CACHE_HOME/hpcgrade`, else `~/.cache/hpcgrade`.
  public static func cacheDirectory() -> URL {
    let env = ProcessInfo.processInfo.environment
    if let dir = env["HPCGRADE_CACHE"] { return URL(fileURLWithPath: dir) }
    if let xdg = env["XDG_CACHE_HOME"] { return URL(fileURLWithPath: xdg).appendingPathComponent("hpcgrade") }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hpcgrade")
  }
}
