import Foundation
import Testing
import TestSupport

@testable import GraderCore

/// Run users: a UID per run, never two runs on one, and nothing of a run left
/// running as its UID once the lease is returned.
@Suite struct RunUsersTests {
  /// A pool of its own in a fresh lock folder, so tests never meet real gradings.
  func pool(_ range: ClosedRange<UInt32>) -> RunUsers {
    RunUsers(
      range: range,
      directory: FileManager.default.temporaryDirectory.appendingPathComponent("run-users-\(UUID().uuidString)"))
  }

  /// A daemon as `uid` (in a session of its own, its parent gone), the way a run's
  /// program leaves one behind. Spawned directly: Foundation's Process waits for
  /// every descendant, daemons included.
  static func startDaemon(uid: UInt32) {
    let words = ["setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "setsid", "-f", "sleep", "300"]
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawnp(&pid, words[0], nil, nil, &argv, environ) == 0 else { return }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
  }

  @Test func concurrentLeasesNeverShareAUID() throws {
    let users = pool(2_000_100_000...2_000_100_015)
    // Eight threads take two each at the same moment, and hold them all.
    let leases = try atTheSameMoment((0..<8).map { _ in { @Sendable in [try users.acquire(), try users.acquire()] } })
      .flatMap { try $0.get() }
    let uids = leases.map(\.uid)
    #expect(uids.count == 16 && Set(uids).count == 16, "16 leases held at once need 16 UIDs: \(uids.sorted())")
    #expect(throws: RunUserError.self) { try users.acquire(timeout: 0.1) }
    leases.forEach { $0.release() }
  }

  @Test func aBusyPoolWaitsThenSaysWhy() throws {
    let users = pool(2_000_100_100...2_000_100_100)
    let held = try users.acquire()
    #expect(throws: RunUserError.self) { try users.acquire(timeout: 0.2) }
    held.release()
    let next = try users.acquire(timeout: 0.2)
    #expect(next.uid == 2_000_100_100)
  }

  @Test func aUIDWithAnAccountIsNeverLent() throws {
    #expect(RunUsers.hasAccount(0) && RunUsers.hasAccount(65534))
    let users = pool(65534...65535)
    let lease = try users.acquire()
    #expect(lease.uid == 65535)
  }

  @Test(.enabled(if: getuid() == 0, "starting processes as another UID needs root"))
  func releasingAUIDKillsWhatStillRunsAsIt() throws {
    let users = pool(2_000_100_200...2_000_100_200)
    let lease = try users.acquire()
    Self.startDaemon(uid: lease.uid)
    #expect(ProcessSweep.processes(uid: lease.uid).count == 1)
    lease.release()
    #expect(ProcessSweep.processes(uid: lease.uid) == [])
  }

  @Test(.enabled(if: getuid() == 0, "starting processes as another UID needs root"))
  func takingAUIDKillsWhatAKilledGraderLeftOnIt() throws {
    let uid: UInt32 = 2_000_100_300
    Self.startDaemon(uid: uid)
    #expect(ProcessSweep.processes(uid: uid).count == 1)
    let lease = try pool(uid...uid).acquire()
    #expect(ProcessSweep.processes(uid: uid) == [])
    lease.release()
  }

  @Test func theScopeOfTheProcessLimitFollowsUserAndKernel() {
    #expect(ProcessLimitScope.detect(isRoot: true, kernelRelease: "4.19.0") == .userPerRun)
    #expect(ProcessLimitScope.detect(isRoot: false, kernelRelease: "6.18.44-fc-v1045") == .namespacePerRun)
    #expect(ProcessLimitScope.detect(isRoot: false, kernelRelease: "5.14.0") == .namespacePerRun)
    let old = ProcessLimitScope.detect(isRoot: false, kernelRelease: "5.10.0-27-amd64")
    guard case .shared = old else { Issue.record("Linux 5.10 counts per user: \(old)"); return }
    #expect(old.warning?.contains("shared by every run of this user") == true)
    #expect(ProcessLimitScope.userPerRun.warning == nil)
  }
}
