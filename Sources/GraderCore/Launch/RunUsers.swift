import Foundation

/// Gives every run of a root grader a Unix user of its own for as long as it runs.
///
/// The kernel counts RLIMIT_NPROC per user, across PID namespaces: were every run
/// `nobody`, one student's fork bomb would use up the process limit of every other
/// run on the machine, and their correct programs would "crash" when mpirun cannot
/// start a rank. With a UID per run, the limit a run sets binds that run alone.
///
/// Why a UID and not a cgroup per run: it needs root and nothing else — no cgroup
/// hierarchy to find (v1 here, v2 elsewhere), no delegation, nothing to clean up —
/// and it works the same in a container. Memory (RLIMIT_AS) and CPU time
/// (RLIMIT_CPU) are limits per process, so they never were shared.
///
/// A lease is an exclusive `flock` on `/run/hpcgrade/run-users/<uid>`: concurrent
/// graders on one machine never share a UID, and a grader that dies, even by
/// SIGKILL, gives its leases back with its file descriptors. A UID is swept of
/// processes when it is taken (what a killed grader left) and when it is returned.
public final class RunUsers: Sendable {
  /// UIDs from Debian's range for local dynamic use (65536 and up), far above the
  /// ranges `adduser` (1000–59999) and container sub-UIDs (100000 + 65536·k, for a
  /// few hundred users) hand out. A UID with an account is skipped all the same.
  public static let range: ClosedRange<UInt32> = 2_000_000_000...2_000_001_023

  public static let shared = RunUsers(range: range, directory: URL(fileURLWithPath: "/run/hpcgrade/run-users"))

  let range: ClosedRange<UInt32>
  let directory: URL

  public init(range: ClosedRange<UInt32>, directory: URL) {
    self.range = range
    self.directory = directory
  }

  /// A UID held for one run.
  public final class Lease: @unchecked Sendable {
    public let uid: UInt32
    private var descriptor: Int32

    init(uid: UInt32, descriptor: Int32) {
      self.uid = uid
      self.descriptor = descriptor
    }

    /// Kills whatever still runs as the UID, then frees it for the next run.
    public func release() {
      guard descriptor >= 0 else { return }
      ProcessSweep.killAll(uid: uid)
      close(descriptor)  // closing drops the flock
      descriptor = -1
    }

    deinit { release() }
  }

  /// Takes a free UID, waiting up to `timeout` seconds while every one is in use.
  public func acquire(timeout: Double = 120) throws -> Lease {
    do {
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw RunUserError.lockFolder(directory.path, "\(error)")
    }
    let count = range.count
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      // A random first slot: concurrent graders rarely try the same one.
      let first = Int.random(in: 0..<count)
      for offset in 0..<count {
        let uid = range.lowerBound + UInt32((first + offset) % count)
        let fd = open(directory.appendingPathComponent(String(uid)).path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RunUserError.lockFolder(directory.path, String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0, !Self.hasAccount(uid) {
          ProcessSweep.killAll(uid: uid)
          return Lease(uid: uid, descriptor: fd)
        }
        close(fd)
      }
      if Date() >= deadline { throw RunUserError.exhausted(range) }
      usleep(20_000)
    }
  }

  /// A UID that belongs to an account of this machine is never lent to a run.
  static func hasAccount(_ uid: UInt32) -> Bool {
    var entry = passwd()
    var found: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 4096)
    return getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0 && found != nil
  }
}

public enum RunUserError: Error, CustomStringConvertible {
  case lockFolder(String, String)
  case exhausted(ClosedRange<UInt32>)

  public var description: String {
    switch self {
    case .lockFolder(let path, let why):
      "cannot use \(path) to hand out run users: \(why)"
    case .exhausted(let range):
      "every run user (UIDs \(range.lowerBound)–\(range.upperBound)) stayed busy for two minutes: too many gradings at once on this machine"
    }
  }
}

/// Whether a run's process limit is its own, as this machine and user allow.
public enum ProcessLimitScope: Sendable, Equatable {
  /// A root grader runs each run as a UID of its own (`RunUsers`).
  case userPerRun
  /// Any other grader runs each run in a user namespace of its own: since Linux
  /// 5.14 the kernel counts a namespace's processes against the limit set inside it.
  case namespacePerRun
  /// Every run of this user counts against one limit, for the reason given.
  case shared(String)

  public static func detect(isRoot: Bool, kernelRelease: String) -> ProcessLimitScope {
    if isRoot { return .userPerRun }
    let numbers = kernelRelease.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    if numbers.count == 2, (numbers[0], numbers[1]) >= (5, 14) { return .namespacePerRun }
    return .shared(
      "Linux \(kernelRelease) counts processes per user across namespaces (per namespace from 5.14 on), and the grader is not root")
  }

  /// What to tell a user before grading, and on every case, when runs share a limit.
  public var warning: String? {
    guard case .shared(let why) = self else { return nil }
    return "the process limit is shared by every run of this user: \(why); a fork bomb graded at the same time can make other programs fail to start"
  }
}
