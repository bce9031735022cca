import Foundation

/// How a run ended, with everything it printed.
public struct RunOutcome: Sendable {
  public enum Ending: Sendable, Equatable {
    /// Every rank exited; `status` is mpirun's (or the program's) exit status.
    case exited(status: Int32)
    /// Killed by a signal: for MPI runs the rank mpirun named, if any.
    case signaled(signal: Int32, rank: Int?)
    case timedOut(after: Double)
    /// Killed for writing more than the disk limit.
    case outputLimit(bytes: Int)
    /// Stopped early: the probe showed the ranks stuck (deadlock, missing partner,
    /// collective mismatch).
    case stuck(Diagnosis)
  }

  public var ending: Ending
  public var seconds: Double
  public var outputs: [RankOutput]
  /// What mpirun itself said (crash and abort notices), for explanations.
  public var launcherMessages: String
  /// Processes of the run still alive a grace period after it ended, which the
  /// sweep then killed: always 0 unless the sandbox failed.
  public var strays: Int
  /// For a timeout of a probed run: what each rank was doing when it was stopped.
  public var rankActivity: String = ""
  /// Every rank had finished, but something the program left in the background
  /// kept the job open, so it was stopped.
  public var heldOpen = false
}

/// Runs a `LaunchPlan` in its own folder, enforcing the timeout, and makes sure
/// nothing of it outlives the call.
public enum Launcher {
  public static func run(_ spec: RunSpec, host: LaunchPlan.Host = .current) throws -> RunOutcome {
    let fm = FileManager.default
    let directory = fm.temporaryDirectory.appendingPathComponent("hpcgrade-run-\(UUID().uuidString)")
    try fm.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: directory) }
    // Released (and swept) when the run is over, after the directory's own sweep below.
    let lease = host.isRoot ? try RunUsers.shared.acquire() : nil
    defer { lease?.release() }
    let plan = LaunchPlan(spec: spec, runDirectory: directory, host: host, user: lease?.uid)
    let watch = try stage(plan, spec: spec, in: directory)

    let process = Process()
    guard let executable = Command.which(plan.arguments[0]) else {
      throw CommandError.notFound(plan.arguments[0])
    }
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(plan.arguments.dropFirst())
    process.environment = plan.environment
    process.currentDirectoryURL = directory
    if let input = spec.stdin {
      let file = directory.appendingPathComponent("stdin.txt")
      try input.write(to: file, atomically: false, encoding: .utf8)  // a fresh folder: nothing to race with
      process.standardInput = try FileHandle(forReadingFrom: file)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    // Ranks' output goes to files, one per rank and stream (mpirun's
    // --output-filename, or plain redirection without MPI); mpirun's own messages
    // come through a pipe.
    let outputDirectory = directory.appendingPathComponent("output")
    let stderr = Pipe()
    if spec.ranks == 0 {
      let rankDirectory = outputDirectory.appendingPathComponent("1/rank.0")
      try fm.createDirectory(at: rankDirectory, withIntermediateDirectories: true)
      for name in ["stdout", "stderr"] {
        _ = fm.createFile(atPath: rankDirectory.appendingPathComponent(name).path, contents: nil)
      }
      process.standardOutput = try FileHandle(forWritingTo: rankDirectory.appendingPathComponent("stdout"))
      process.standardError = try FileHandle(forWritingTo: rankDirectory.appendingPathComponent("stderr"))
    } else {
      process.standardOutput = FileHandle.nullDevice
      process.standardError = stderr
    }
    let messages = HeadTailBuffer(cap: 64 << 10)
    let reader = DispatchGroup()
    let fd = stderr.fileHandleForReading.fileDescriptor
    DispatchQueue.global().async(group: reader) {
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { break }
        messages.append(buffer[0..<n])
      }
    }

    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    let start = Date()
    try process.run()
    ActiveRuns.shared.insert(process.processIdentifier)
    defer { ActiveRuns.shared.remove(process.processIdentifier) }
    // Our copy of the write end must close, or the reader never sees EOF.
    try? stderr.fileHandleForWriting.close()
    // A backstop that does not wait for the loop below: a look at /proc can take
    // seconds while a fork bomb holds its processes' memory maps, and the timeout
    // must hold all the same.
    let backstop = Backstop(pid: process.processIdentifier, after: spec.timeout + 0.5)
    defer { backstop.cancel() }

    var killedFor: RunOutcome.Ending?
    let deadline = Date().addingTimeInterval(spec.timeout)
    var rankActivity = ""
    var goneSince: Date?
    var heldOpen = false
    while exited.wait(timeout: .now() + (watch == nil ? 0.1 : 0.05)) == .timedOut {
      if Date() >= deadline {
        killedFor = .timedOut(after: spec.timeout)
        rankActivity = watch?.describe() ?? ""
      } else if let bytes = Self.bytesWritten(outputDirectory), bytes > spec.limits.diskBytes {
        killedFor = .outputLimit(bytes: bytes)
      } else if let watch {
        switch watch.poll() {
        case .running: break
        case .stuck(let diagnosis): killedFor = .stuck(diagnosis)
        case .ranksGone:
          // Give mpirun a second to finish on its own before calling it held open.
          let since = goneSince ?? Date()
          goneSince = since
          if Date().timeIntervalSince(since) >= 1 {
            heldOpen = true
            killedFor = .exited(status: 0)
          }
        }
      }
      if killedFor != nil {
        // SIGKILL to unshare kills the namespace's init, and with it every process inside.
        kill(process.processIdentifier, SIGKILL)
        _ = exited.wait(timeout: .now() + 5)
        break
      }
    }
    backstop.cancel()  // before the PID can be reused
    let seconds = Date().timeIntervalSince(start)
    let strays = ProcessSweep.reap(marker: plan.runID)
    // The reader ends when the last writer is gone; the sweep made sure of that.
    _ = reader.wait(timeout: .now() + 5)

    let outputs = collectOutputs(spec, from: directory)
    let notices = messages.text
    let ending: RunOutcome.Ending
    if let killedFor {
      ending = killedFor
    } else if backstop.fired {
      ending = .timedOut(after: spec.timeout)
    } else if process.terminationReason == .uncaughtSignal {
      ending = .signaled(signal: process.terminationStatus, rank: nil)
    } else if spec.ranks == 0, process.terminationStatus > 128, process.terminationStatus < 160 {
      // The namespace's shell reports its child's death by signal n as 128 + n.
      ending = .signaled(signal: process.terminationStatus - 128, rank: nil)
    } else if let crash = MPIRunNotice.signal(in: notices) {
      ending = .signaled(signal: crash.signal, rank: crash.rank)
    } else {
      ending = .exited(status: process.terminationStatus)
    }
    return RunOutcome(
      ending: ending, seconds: seconds, outputs: outputs, launcherMessages: notices, strays: strays,
      rankActivity: rankActivity, heldOpen: heldOpen)
  }

  /// Copies what the run needs where its user can read it, and sets up the probe's
  /// slots; returns the watch that polls them, if the run is probed.
  static func stage(_ plan: LaunchPlan, spec: RunSpec, in directory: URL) throws -> RunWatch? {
    let fm = FileManager.default
    // A root grader's programs run as the run's own user: the run's folder must be theirs.
    let owner = { (url: URL) in
      guard let user = plan.user else { return }
      try fm.setAttributes([.ownerAccountID: Int(user), .groupOwnerAccountID: Int(user)], ofItemAtPath: url.path)
    }
    if let staged = plan.stagedBinary {
      try fm.copyItem(at: spec.binary, to: staged)
      try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staged.path)
      try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
      try owner(directory)
    }
    guard let probe = spec.probe, let library = plan.stagedProbe, let slots = plan.probeDirectory else { return nil }
    try fm.copyItem(at: probe.library, to: library)
    try fm.createDirectory(at: slots, withIntermediateDirectories: true)
    try owner(slots)
    return RunWatch(directory: slots, ranks: spec.ranks, stallWindow: probe.stallWindow)
  }

  /// Each rank's capped stdout and stderr, and the CPUs it recorded it ran on.
  static func collectOutputs(_ spec: RunSpec, from directory: URL) -> [RankOutput] {
    (0..<max(spec.ranks, 1)).map { rank in
      let files = directory.appendingPathComponent("output/1/rank.\(rank)")
      let out = CappedOutput.read(files.appendingPathComponent("stdout"), cap: spec.limits.outputBytes)
      let err = CappedOutput.read(files.appendingPathComponent("stderr"), cap: spec.limits.outputBytes)
      let affinity = (try? String(contentsOf: directory.appendingPathComponent("affinity.\(rank)"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      return RankOutput(
        rank: rank, stdout: out.text, stderr: err.text, affinity: affinity, truncated: out.truncated || err.truncated)
    }
  }

  /// Total size of the files under `directory`.
  static func bytesWritten(_ directory: URL) -> Int? {
    guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey]) else {
      return nil
    }
    var total = 0
    for case let file as URL in files {
      total += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
    }
    return total
  }
}

/// Kills a run's namespace at a fixed time from a timer of its own.
final class Backstop: @unchecked Sendable {
  private let lock = NSLock()
  private var didFire = false
  private var cancelled = false
  private let timer: DispatchSourceTimer

  init(pid: pid_t, after seconds: Double) {
    timer = DispatchSource.makeTimerSource(queue: .global())
    timer.schedule(deadline: .now() + seconds)
    timer.setEventHandler { [weak self] in self?.fire(pid) }
    timer.resume()
  }

  private func fire(_ pid: pid_t) {
    lock.withLock {
      guard !cancelled else { return }
      didFire = true
      kill(pid, SIGKILL)
    }
  }

  var fired: Bool { lock.withLock { didFire } }

  /// Once this returns, the timer kills nothing.
  func cancel() {
    lock.withLock { cancelled = true }
    timer.cancel()
  }
}

/// Runs in flight, so a grader that is interrupted can take them down with it.
public final class ActiveRuns: @unchecked Sendable {
  public static let shared = ActiveRuns()
  private let lock = NSLock()
  private var pids: Set<pid_t> = []

  func insert(_ pid: pid_t) { lock.withLock { _ = pids.insert(pid) } }
  func remove(_ pid: pid_t) { lock.withLock { _ = pids.remove(pid) } }

  /// SIGKILLs every run's namespace; its processes die with it.
  public func killAll() {
    lock.withLock { for pid in pids { kill(pid, SIGKILL) } }
  }
}

/// Reads mpirun's notices about how ranks ended.
enum MPIRunNotice {
  /// "mpirun noticed that process rank 1 with PID 0 on node x exited on signal 11 (Segmentation fault)."
  static func signal(in text: String) -> (rank: Int, signal: Int32)? {
    guard let range = text.range(of: "process rank ") else { return nil }
    let rest = text[range.upperBound...]
    guard let rank = Int(rest.prefix { $0.isNumber }),
      let on = rest.range(of: "exited on signal ")
    else { return nil }
    guard let signal = Int32(rest[on.upperBound...].prefix { $0.isNumber }) else { return nil }
    return (rank, signal)
  }

  /// The rank that called MPI_Abort, or that mpirun names in "Process name: [[…,1]] Exit code: 3".
  static func failedRank(in text: String) -> Int? {
    if let abort = text.range(of: "MPI_ABORT was invoked on rank ") {
      return Int(text[abort.upperBound...].prefix { $0.isNumber })
    }
    guard let range = text.range(of: "Process name: [[") else { return nil }
    let rest = text[range.upperBound...]
    guard let comma = rest.firstIndex(of: ",") else { return nil }
    return Int(rest[rest.index(after: comma)...].prefix { $0.isNumber })
  }
}
