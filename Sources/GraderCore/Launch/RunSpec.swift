import Foundation

/// Everything that decides how one case's program runs.
public struct RunSpec: Sendable {
  public var binary: URL
  /// 0 runs the binary directly (a non-MPI exercise); N ≥ 1 under `mpirun -np N`.
  public var ranks: Int
  public var threads: Int
  /// Bind ranks to cores (or a non-MPI program to `threads` cores).
  public var pinned: Bool
  public var arguments: [String]
  /// Text for the program's stdin (rank 0 under MPI); nil means /dev/null.
  public var stdin: String?
  public var environment: [String: String]
  public var timeout: Double
  public var limits: ResourceLimits
  /// Watch the ranks through the probe and stop a deadlock early (MPI runs only).
  public var probe: ProbeSettings?

  public init(
    binary: URL, ranks: Int, threads: Int = 1, pinned: Bool = true, arguments: [String] = [],
    stdin: String? = nil, environment: [String: String] = [:], timeout: Double = 10,
    limits: ResourceLimits = ResourceLimits(), probe: ProbeSettings? = nil
  ) {
    self.probe = probe
    self.binary = binary
    self.ranks = ranks
    self.threads = threads
    self.pinned = pinned
    self.arguments = arguments
    self.stdin = stdin
    self.environment = environment
    self.timeout = timeout
    self.limits = limits
  }
}

/// Caps that keep a hostile program from taking the grader down with it.
public struct ResourceLimits: Sendable, Equatable {
  /// Bytes kept of each rank's stdout and of its stderr; the rest is dropped with a note.
  public var outputBytes: Int = 1 << 20
  /// Bytes of output a run may write to disk before it is stopped.
  public var diskBytes: Int = 512 << 20
  /// Address space per process, bytes; 0 for none (ThreadSanitizer reserves terabytes
  /// of shadow address space it never touches).
  public var memoryBytes: Int = 8 << 30
  /// Processes (threads included) of the user the program runs as: stops fork bombs.
  public var processes: Int = 1024
  /// CPU seconds per process.
  public var cpuSeconds: Int = 600

  public init() {}
}

/// How a run is watched for deadlocks.
public struct ProbeSettings: Sendable {
  /// The compiled probe (`ProbeLibrary.ensure`).
  public var library: URL
  public var strictSends: Bool
  public var stallWindow: Double

  public init(library: URL, strictSends: Bool = false, stallWindow: Double = 0.5) {
    self.library = library
    self.strictSends = strictSends
    self.stallWindow = stallWindow
  }
}
