import Foundation
import Testing

@testable import GraderCore

/// The launch plan on its own: the command line a run gets, without running it.
@Suite struct LaunchPlanTests {
  let directory = URL(fileURLWithPath: "/tmp/run")
  let binary = URL(fileURLWithPath: "/cache/builds/x/program")

  func plan(_ spec: RunSpec, cores: Int = 2, root: Bool = true) -> LaunchPlan {
    LaunchPlan(spec: spec, runDirectory: directory, host: .init(cores: cores, isRoot: root), runID: "ID", user: root ? 2_000_000_007 : nil)
  }

  func index(_ word: String, in words: [String]) -> Int { words.firstIndex(of: word) ?? -1 }

  @Test func aRootGraderSandboxesDropsPrivilegesThenLimits() {
    let p = plan(RunSpec(binary: binary, ranks: 2))
    let a = p.arguments
    #expect(Array(a.prefix(5)) == ["unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc"])
    #expect(index("setpriv", in: a) < index("prlimit", in: a) && index("prlimit", in: a) < index("mpirun", in: a))
    #expect(a.contains("--reuid=2000000007") && a.contains("--regid=2000000007") && a.contains("--nproc=1024") && a.contains("--as=\(8 << 30)"))
    #expect(p.stagedBinary == directory.appendingPathComponent("program"))
    #expect(a.last == directory.appendingPathComponent("program").path)
    #expect(p.environment["HOME"] == directory.path && p.environment["HPCGRADE_RUN_ID"] == "ID")
  }

  @Test func anotherUserGetsAUserNamespaceAndKeepsTheBinary() {
    let a = plan(RunSpec(binary: binary, ranks: 2), root: false).arguments
    #expect(Array(a.prefix(3)) == ["unshare", "--user", "--map-root-user"])
    #expect(!a.contains("setpriv"))
    #expect(a.last == binary.path)
    #expect(plan(RunSpec(binary: binary, ranks: 2), root: false).user == nil)
  }

  @Test func moreRanksThanCoresOversubscribeAndMayShareCores() {
    let a = plan(RunSpec(binary: binary, ranks: 4)).arguments
    #expect(a.contains("--oversubscribe"))
    #expect(a[index("--bind-to", in: a) + 1] == "core:overload-allowed")
    let fits = plan(RunSpec(binary: binary, ranks: 2)).arguments
    #expect(!fits.contains("--oversubscribe") && fits[index("--bind-to", in: fits) + 1] == "core")
  }

  @Test func threadsReachTheEnvironmentAndAPlainRunIsPinnedToThatManyCores() {
    let p = plan(RunSpec(binary: binary, ranks: 0, threads: 2))
    #expect(p.environment["OMP_NUM_THREADS"] == "2" && p.environment["HPCGRADE_THREADS"] == "2")
    #expect(!p.arguments.contains("mpirun"))
    #expect(p.arguments[index("taskset", in: p.arguments) + 2] == "0-1")
  }

  @Test func theProbeIsLoadedIntoRanksOnly() {
    let probe = ProbeSettings(library: URL(fileURLWithPath: "/cache/libmpiprobe.so"), strictSends: true)
    let p = plan(RunSpec(binary: binary, ranks: 2, probe: probe))
    #expect(p.arguments.contains("LD_PRELOAD=/tmp/run/libmpiprobe.so"))
    #expect(p.arguments.contains("HPCGRADE_STRICT_SENDS=1"))
    #expect(p.environment["LD_PRELOAD"] == nil)
    #expect(p.stagedProbe == directory.appendingPathComponent("libmpiprobe.so"))
  }

  @Test func theGradersOwnEnvironmentStaysOut() {
    setenv("HPCGRADE_TEST_SECRET", "token", 1)
    defer { unsetenv("HPCGRADE_TEST_SECRET") }
    let p = plan(RunSpec(binary: binary, ranks: 1, environment: ["CASE_VAR": "1"]))
    #expect(p.environment["HPCGRADE_TEST_SECRET"] == nil)
    #expect(p.environment["CASE_VAR"] == "1")
  }
}
