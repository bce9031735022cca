import Foundation
import Testing
import TestSupport

@testable import GraderCore

/// The launcher against hostile programs: whatever they do, the run ends, the
/// output is captured and capped, and no process survives.
@Suite struct LauncherTests {
  static let hostile = """
    import MPI
    import Foundation
    let comm = MPI.world
    let mode = CommandLine.arguments[1]
    print("rank \\(comm.rank) starting")
    fflush(stdout)
    switch mode {
    case "segfault" where comm.rank == 1:
      let p = UnsafeMutablePointer<Int>(bitPattern: 8)!
      p.pointee = 1
    case "exit1" where comm.rank == 1:
      exit(1)
    case "abort" where comm.rank == 0:
      MPI.abort(code: 4)
    case "spin":
      var x = 0
      while true { x &+= 1 }
    case "sleep":
      while true { sleep(100) }
    case "ignore-term":
      signal(SIGTERM, SIG_IGN)
      while true { sleep(100) }
    case "flood" where comm.rank == 0:
      let line = String(repeating: "x", count: 1023) + "\\n"
      for _ in 0..<(100 * 1024) { fputs(line, stdout) }
    case "escapes":
      print("\\u{1B}[31mred\\u{1B}[0m \\u{0}nul")
      FileHandle.standardOutput.write(Data([0xFF, 0xFE, 0x41, 0x0A]))
    case "forkbomb" where comm.rank == 0:
      while true { _ = fork() }
    case "snoop" where comm.rank == 0:
      let listing = try? FileManager.default.contentsOfDirectory(atPath: "/root")
      print(listing == nil ? "snoop denied" : "snoop allowed")
    case "memory" where comm.rank == 0:
      var big = [UInt8](repeating: 1, count: 4 << 30)
      big[12345] = 2
      print(big[12345])
    case "daemon" where comm.rank == 0:
      if fork() == 0 {
        setsid()
        if fork() == 0 { while true { sleep(100) } }
        exit(0)
      }
      sleep(1)
    default:
      break
    }
    comm.barrier()
    print("rank \\(comm.rank) done")
    """

  func run(
    _ mode: String, ranks: Int = 2, timeout: Double = 10, limits: ResourceLimits = ResourceLimits()
  ) throws -> RunOutcome {
    let binary = try MPIPrograms.compile(Self.hostile)
    var spec = RunSpec(binary: binary, ranks: ranks, arguments: [mode], timeout: timeout)
    spec.limits = limits
    let outcome = try Launcher.run(spec)
    #expect(outcome.strays == 0, "processes left after the run")
    return outcome
  }

  @Test func cleanRunCapturesEachRankSeparately() throws {
    let outcome = try run("none", ranks: 3)
    #expect(outcome.ending == .exited(status: 0))
    for rank in 0..<3 {
      #expect(outcome.outputs[rank].stdout == "rank \(rank) starting\nrank \(rank) done\n")
      #expect(!outcome.outputs[rank].affinity.isEmpty)
    }
  }

  @Test func segfaultNamesTheRankAndSignal() throws {
    let outcome = try run("segfault")
    #expect(outcome.ending == .signaled(signal: 11, rank: 1), "\(outcome.launcherMessages)")
  }

  @Test func nonZeroExitIsReported() throws {
    let outcome = try run("exit1")
    #expect(outcome.ending == .exited(status: 1))
  }

  @Test func abortKeepsItsCode() throws {
    let outcome = try run("abort")
    #expect(outcome.ending == .exited(status: 4))
  }

  @Test(arguments: ["spin", "sleep", "ignore-term"])
  func hangsAreKilledAtTheTimeout(mode: String) throws {
    let outcome = try run(mode, timeout: 5)
    #expect(outcome.ending == .timedOut(after: 5))
    // The timeout, plus at most the 5 s the launcher waits for the kill to land.
    #expect(outcome.seconds < 10.5)
    #expect(outcome.outputs[1].stdout == "rank 1 starting\n")
  }

  @Test func floodIsCappedAndTheRunStillEnds() throws {
    let outcome = try run("flood", timeout: 60)
    #expect(outcome.ending == .exited(status: 0), "\(outcome.launcherMessages.suffix(2000))")
    let out = outcome.outputs[0]
    #expect(out.truncated)
    #expect(out.stdout.utf8.count < (1 << 20) + 200)
    #expect(out.stdout.contains("more bytes dropped"))
    #expect(outcome.outputs[1].stdout == "rank 1 starting\nrank 1 done\n")
  }

  @Test func escapesAndInvalidBytesArriveIntact() throws {
    let outcome = try run("escapes")
    #expect(outcome.ending == .exited(status: 0))
    #expect(outcome.outputs[0].stdout.contains("\u{1B}[31mred"))
    #expect(outcome.outputs[0].stdout.contains("\u{FFFD}"))
  }

  /// The daemon holds the ranks' output open, so mpirun waits for it: without the
  /// probe to see that the ranks are done, the run ends at the timeout, and the
  /// namespace takes the daemon with it.
  @Test func daemonsDieWithTheRun() throws {
    let outcome = try run("daemon", timeout: 5)
    #expect(outcome.ending == .timedOut(after: 5))
    #expect(outcome.outputs[0].stdout.hasPrefix("rank 0 starting\n"))
  }

  @Test func aForkBombHitsTheProcessLimitAndDiesWithTheRun() throws {
    let outcome = try run("forkbomb", timeout: 4)
    #expect(outcome.ending == .timedOut(after: 4))
  }

  @Test func programsCannotReadTheGraderUsersFiles() throws {
    let outcome = try run("snoop")
    #expect(outcome.outputs[0].stdout.contains("snoop denied"))
  }

  @Test func memoryBeyondTheLimitEndsTheRun() throws {
    var limits = ResourceLimits()
    limits.memoryBytes = 2 << 30
    let outcome = try run("memory", limits: limits)
    #expect(outcome.ending != .exited(status: 0))
    #expect(!outcome.outputs[0].stdout.contains("2"))
  }
}
