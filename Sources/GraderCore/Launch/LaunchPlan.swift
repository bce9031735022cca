import Foundation

/// The exact command line and environment for a run, decided without running
/// anything, so tests can check the plan on its own.
public struct LaunchPlan: Sendable, Equatable {
  public var arguments: [String]
  public var environment: [String: String]
  /// Marks every process of the run, so a sweep can prove none is left behind.
  public var runID: String
  /// Where the launcher must copy the binary first: a root grader runs programs as
  /// a user without an account, who cannot read the grader's private cache.
  public var stagedBinary: URL?
  /// Where the launcher must copy the probe library, for the same reason.
  public var stagedProbe: URL?
  /// The folder the probe writes its per-rank slots into.
  public var probeDirectory: URL?

  /// The UID a root grader runs this run's programs as (one of `RunUsers`), so its
  /// process limit is its own; nil when the grader is not root.
  public var user: UInt32?

  /// The machine facts a plan depends on.
  public struct Host: Sendable {
    public var cores: Int
    public var isRoot: Bool
    /// Whether each run gets a process limit of its own here.
    public var processLimits: ProcessLimitScope
    public static var current: Host {
      var name = utsname()
      uname(&name)
      let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      let isRoot = getuid() == 0
      return Host(
        cores: ProcessInfo.processInfo.activeProcessorCount, isRoot: isRoot,
        processLimits: .detect(isRoot: isRoot, kernelRelease: release))
    }
    public init(cores: Int, isRoot: Bool, processLimits: ProcessLimitScope? = nil) {
      self.cores = cores
      self.isRoot = isRoot
      self.processLimits = processLimits ?? (isRoot ? .userPerRun : .namespacePerRun)
    }
  }

  /// - Parameter user: for a root grader, the UID leased for this run.
  public init(spec: RunSpec, runDirectory: URL, host: Host = .current, runID: String = UUID().uuidString, user: UInt32? = nil) {
    precondition(!host.isRoot || user != nil, "a root grader's run needs a user of its own")
    self.runID = runID
    self.user = host.isRoot ? user : nil
    var env = ProcessInfo.processInfo.environment.filter { key, _ in
      // The student's program sees a plain environment, not the grader's secrets.
      ["PATH", "HOME", "LANG", "LC_ALL", "TERM", "USER", "LD_LIBRARY_PATH"].contains(key)
    }
    env["TMPDIR"] = runDirectory.path
    env["HPCGRADE_RUN_ID"] = runID
    let threads = String(spec.threads)
    for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "HPCGRADE_THREADS"] {
      env[key] = threads
    }
    // Swift's crash backtracer takes seconds and floods stderr with colour codes.
    env["SWIFT_BACKTRACE"] = "enable=no"
    env.merge(spec.environment) { _, case_ in case_ }
    env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    env["HPCGRADE_RUN_DIR"] = runDirectory.path
    if host.isRoot { env["HOME"] = runDirectory.path }  // the run's user has no home of its own
    self.environment = env

    // A new PID namespace: when its first process ends or is killed, the kernel
    // kills every process left in it, daemons included.
    var command = ["unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc"]
    if !host.isRoot { command.insert(contentsOf: ["--user", "--map-root-user"], at: 1) }
    // Open MPI names its shared-memory segments after mpirun's PID, which is 1 in
    // every namespace: each run gets a private /dev/shm so concurrent runs never meet.
    // The shell stays as the namespace's first process, with the grader's
    // credentials: the kernel clears the kill-on-parent-death signal of a process
    // that changes user, so the one that carries it must not.
    command += ["/bin/sh", "-c", "mount -t tmpfs -o mode=1777 hpcgrade-shm /dev/shm && \"$@\"", "sh"]
    var binary = spec.binary
    if let user = self.user {
      // Root's programs could read and write anything; a user without an account
      // cannot, and the process limit binds only a user without privileges.
      let id = String(user)
      command += ["setpriv", "--reuid=\(id)", "--regid=\(id)", "--clear-groups", "--"]
      binary = runDirectory.appendingPathComponent("program")
      stagedBinary = binary
    }
    let limits = spec.limits
    command += ["prlimit"] + (limits.memoryBytes > 0 ? ["--as=\(limits.memoryBytes)"] : []) + [
      "--cpu=\(limits.cpuSeconds)", "--nproc=\(limits.processes)", "--core=0", "--",
    ]
    // Each rank records the CPUs it really got before it becomes the program.
    let recordAffinity =
      "grep Cpus_allowed_list /proc/self/status | cut -f2 > \"$HPCGRADE_RUN_DIR/affinity.${OMPI_COMM_WORLD_RANK:-0}\"; exec \"$@\""

    if spec.ranks == 0 {
      if spec.pinned {
        command += ["taskset", "--cpu-list", "0-\(max(0, min(spec.threads, host.cores) - 1))"]
      }
    } else {
      command += [
        "mpirun", "-np", "\(spec.ranks)",
        "--output-filename", runDirectory.appendingPathComponent("output").path,
      ]
      let oversubscribed = spec.ranks > host.cores
      if oversubscribed { command.append("--oversubscribe") }
      if spec.pinned, spec.threads > 1, spec.ranks * spec.threads <= host.cores {
        // Each rank gets as many cores as it runs threads.
        command += ["--map-by", "slot:PE=\(spec.threads)", "--bind-to", "core"]
      } else if spec.pinned {
        command += ["--bind-to", oversubscribed ? "core:overload-allowed" : "core"]
      } else {
        command += ["--bind-to", "none"]
      }
      for key in env.keys.sorted() where key != "PATH" {
        command += ["-x", key]
      }
      if let probe = spec.probe {
        // Set for the ranks alone (-x NAME=VALUE), not for mpirun itself.
        let library = runDirectory.appendingPathComponent("libmpiprobe.so")
        let slots = runDirectory.appendingPathComponent("probe")
        stagedProbe = library
        probeDirectory = slots
        for (key, value) in ProbeLibrary.environment(library: library, directory: slots, strictSends: probe.strictSends).sorted(by: { $0.key < $1.key }) {
          command += ["-x", "\(key)=\(value)"]
        }
      }
    }
    command += ["/bin/sh", "-c", recordAffinity, "sh", binary.path] + spec.arguments
    self.arguments = command
  }

  /// A command a student or TA can paste to rerun the case by hand (without the
  /// grader's sandbox and limits).
  public static func reproduceCommand(binary: String, spec: RunSpec) -> String {
    var parts: [String] = []
    if spec.ranks > 0 {
      parts += ["mpirun", "-np", "\(spec.ranks)"]
      if spec.ranks > LaunchPlan.Host.current.cores { parts.append("--oversubscribe") }
    }
    parts.append(binary)
    parts += spec.arguments
    var line = parts.map(shellQuote).joined(separator: " ")
    let env = spec.environment.keys.sorted().map { "\($0)=\(shellQuote(spec.environment[$0]!))" }
    if spec.threads > 1 || !env.isEmpty {
      line = (["OMP_NUM_THREADS=\(spec.threads)", "HPCGRADE_THREADS=\(spec.threads)"] + env).joined(separator: " ") + " " + line
    }
    if spec.stdin != nil { line += " < input.txt" }
    return line
  }
}

/// Quotes a word for a POSIX shell only when it needs it.
func shellQuote(_ word: String) -> String {
  let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
  return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
