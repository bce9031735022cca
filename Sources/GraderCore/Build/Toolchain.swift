import Foundation

/// The compilers and MPI installation a grading run uses, found once.
public struct Toolchain: Sendable {
  public var swiftc: String
  /// First line of `swiftc --version`: part of every cache key.
  public var swiftVersion: String
  /// `-I` flags for Open MPI's headers, from pkg-config.
  public var mpiIncludeFlags: [String]
  /// `-L` flags and `-lmpi`, from pkg-config.
  public var mpiLinkFlags: [String]
  /// E.g. "Open MPI 4.1.4", for reports.
  public var mpiVersion: String

  /// A tool shipped next to swiftc (`swift-demangle`, `llvm-symbolizer`), if there is one.
  public func tool(_ name: String) -> URL? {
    let url = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name)
    return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
  }

  /// Finds swiftc (PATH, then /opt/swift) and Open MPI (pkg-config `ompi-c`);
  /// a missing piece is an error that says what to install.
  public static func discover() throws -> Toolchain {
    guard let swiftc = Command.which("swiftc") ?? Command.which("/opt/swift/usr/bin/swiftc") else {
      throw ToolchainError.missing("swiftc", install: "install Swift 6 and put its bin/ on PATH")
    }
    let version = try Command.output([swiftc, "--version"]).split(separator: "\n").first.map(String.init) ?? ""
    guard Command.which("pkg-config") != nil, Command.which("mpirun") != nil,
      let cflags = try? Command.output(["pkg-config", "--cflags-only-I", "ompi-c"]),
      let libs = try? Command.output(["pkg-config", "--libs", "ompi-c"])
    else {
      throw ToolchainError.missing(
        "Open MPI", install: "apt-get install -y libopenmpi-dev openmpi-bin pkg-config")
    }
    let mpiVersion = (try? Command.output(["mpirun", "--version"]))?
      .split(separator: "\n").first
      .map { $0.replacingOccurrences(of: "mpirun (", with: "").replacingOccurrences(of: ")", with: "") }
      ?? "unknown MPI"
    return Toolchain(
      swiftc: swiftc, swiftVersion: version,
      mpiIncludeFlags: cflags.split(separator: " ").map(String.init),
      mpiLinkFlags: libs.split(separator: " ").map(String.init),
      mpiVersion: mpiVersion)
  }
}

public enum ToolchainError: Error, CustomStringConvertible {
  case missing(String, install: String)

  public var description: String {
    switch self {
    case .missing(let what, let install): "\(what) is not installed: \(install)"
    }
  }
}
