import Foundation
import GraderCore
import Testing
import TestSupport

/// Stuck programs on real mpirun with the probe: each must be stopped early with
/// the right verdict and an explanation naming ranks, calls and lines.
@Suite struct DeadlockTests {
  static let program = """
    import MPI
    import Foundation
    let comm = MPI.world
    let mode = CommandLine.arguments[1]
    let right = (comm.rank + 1) % comm.size, left = (comm.rank + comm.size - 1) % comm.size
    let big = [Double](repeating: 1, count: 1_000_000)
    var into = [Double](repeating: 0, count: 1_000_000)
    switch mode {
    case "send-send":
      comm.send(buffer: big, to: 1 - comm.rank)
      comm.recv(into: &into, from: 1 - comm.rank)
    case "recv-recv":
      comm.recv(into: &into, from: 1 - comm.rank)
      comm.send(buffer: big, to: 1 - comm.rank)
    case "ring":
      comm.send(buffer: big, to: right)
      comm.recv(into: &into, from: left)
    case "tags":
      if comm.rank == 0 { comm.send(buffer: big, to: 1, tag: 1) }
      else { comm.recv(into: &into, from: 0, tag: 2) }
    case "finished":
      if comm.rank == 0 { var one = [0.0]; comm.recv(into: &one, from: 1, tag: 0) }
    case "skip-barrier":
      if comm.rank == 0 { comm.barrier() }
    case "roots":
      // Each rank thinks it is the root: large broadcasts then wait for each other.
      var table = big
      comm.bcast(buffer: &table, root: comm.rank)
    case "any-source":
      if comm.rank == 0 { var one = [0.0]; comm.recv(into: &one, from: MPI.anySource, tag: 9) }
    case "segfault":
      if comm.rank == 1 { usleep(300_000); UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1 }
      else { var one = [0.0]; comm.recv(into: &one, from: 1) }
    case "big-transfer":
      let huge = [Double](repeating: 2, count: 32 << 20)
      if comm.rank == 0 { comm.send(buffer: huge, to: 1) }
      else { var got = [Double](repeating: 0, count: 32 << 20); comm.recv(into: &got, from: 0); print(got[12345]) }
    case "compute":
      if comm.rank == 0 { var one = [0.0]; comm.recv(into: &one, from: 1); print(one) }
      else {
        let start = Date(); var x = 0.0
        while Date().timeIntervalSince(start) < 3 { x += 1 }
        comm.send(buffer: [x > 0 ? 1.0 : 0.0], to: 0)
      }
    case "staggered":
      sleep(UInt32(comm.rank))
      comm.send(comm.rank, to: right)
      print(comm.recv(Int.self, from: left))
    case "ping-pong":
      var ball = [0.0]
      for _ in 0..<1000 {
        if comm.rank == 0 { comm.send(buffer: ball, to: 1); comm.recv(into: &ball, from: 1) }
        else { comm.recv(into: &ball, from: 0); ball[0] += 1; comm.send(buffer: ball, to: 0) }
      }
      if comm.rank == 0 { print(ball[0]) }
    case "polling":
      if comm.rank == 0 {
        let r = comm.irecv(Double.self, count: 1, from: 1)
        var polls = 0
        while !r.test() { polls += 1; usleep(1000) }
        print(polls > 100)
      } else {
        sleep(2)
        comm.send(buffer: [1.0], to: 0)
      }
    default:
      break
    }
    """

  static func line(_ snippet: String) -> Int { ProbedRuns.line(of: snippet, in: program) }

  func run(_ mode: String, ranks: Int = 2, timeout: Double = 30) throws -> RunOutcome {
    let outcome = try ProbedRuns.run(try MPIPrograms.compile(Self.program), ranks: ranks, arguments: [mode], timeout: timeout)
    #expect(outcome.strays == 0)
    return outcome
  }

  func explanation(_ outcome: RunOutcome) -> String? {
    if case .stuck(let diagnosis) = outcome.ending { return diagnosis.explanation }
    return nil
  }

  @Test func sendSendOfLargeMessages() throws {
    let outcome = try run("send-send")
    let l = Self.line("comm.send(buffer: big, to: 1 - comm.rank)")
    #expect(explanation(outcome) == "deadlock: rank 0 in MPI_Send(to 1, tag 0, 8 MB) at main.swift:\(l) waits for rank 1; rank 1 in MPI_Send(to 0, tag 0, 8 MB) at main.swift:\(l) waits for rank 0")
    #expect(outcome.seconds < 5)
  }

  @Test func receiveReceive() throws {
    let outcome = try run("recv-recv")
    let l = Self.line("case \"recv-recv\"") + 1
    #expect(explanation(outcome) == "deadlock: rank 0 in MPI_Recv(from 1, any tag) at main.swift:\(l) waits for rank 1; rank 1 in MPI_Recv(from 0, any tag) at main.swift:\(l) waits for rank 0", "\(outcome.ending)")
  }

  @Test(arguments: [3, 4])
  func ring(ranks: Int) throws {
    let outcome = try run("ring", ranks: ranks)
    let l = Self.line("comm.send(buffer: big, to: right)")
    let parts = (0..<ranks).map { r in
      "rank \(r) in MPI_Send(to \((r + 1) % ranks), tag 0, 8 MB) at main.swift:\(l) waits for rank \((r + 1) % ranks)"
    }
    #expect(explanation(outcome) == "deadlock: " + parts.joined(separator: "; "), "\(outcome.ending)")
  }

  @Test func tagMismatch() throws {
    let outcome = try run("tags")
    let text = explanation(outcome) ?? "\(outcome.ending)"
    #expect(text.hasPrefix("deadlock: "), "\(text)")
    #expect(text.contains("rank 1 in MPI_Recv(from 0, tag 2) at main.swift:\(Self.line("tag: 2)"))"), "\(text)")
    #expect(text.hasSuffix("rank 0 sends tag 1 but rank 1 receives tag 2, so they never match"))
  }

  @Test func receiveFromARankThatFinished() throws {
    let outcome = try run("finished")
    let text = explanation(outcome) ?? "\(outcome.ending)"
    #expect(text.hasPrefix("missing partner: rank 0 in MPI_Recv(from 1, tag 0) at main.swift:\(Self.line("from: 1, tag: 0"))"), "\(text)")
    #expect(text.contains("waits for rank 1, which already finished"))
  }

  @Test func barrierOneRankSkips() throws {
    let outcome = try run("skip-barrier")
    let text = explanation(outcome) ?? "\(outcome.ending)"
    #expect(text.hasPrefix("missing partner: rank 0 in MPI_Barrier"), "\(text)")
    #expect(text.contains("main.swift:\(Self.line("comm.barrier() }"))"))
  }

  @Test func broadcastsWithDifferentRoots() throws {
    let outcome = try run("roots")
    let text = explanation(outcome) ?? "\(outcome.ending)"
    #expect(text.hasPrefix("collective mismatch:"), "\(text)")
    #expect(text.contains("different roots"))
  }

  @Test func anySourceReceiveNobodySatisfies() throws {
    let outcome = try run("any-source", ranks: 3)
    let text = explanation(outcome) ?? "\(outcome.ending)"
    #expect(text.contains("rank 0 in MPI_Recv(from any, tag 9) at main.swift:\(Self.line("tag: 9"))"), "\(text)")
  }

  @Test func aSegfaultWhileAnotherRankWaitsIsACrashAtOnce() throws {
    let outcome = try run("segfault")
    #expect(outcome.ending == .signaled(signal: 11, rank: 1), "\(outcome.ending)")
    // Start-up and the 0.3 s before the crash included: far from the 30 s timeout.
    #expect(outcome.seconds < 3)
  }

  @Test(arguments: ["big-transfer", "compute", "staggered", "ping-pong", "polling"])
  func noFalseAlarm(mode: String) throws {
    let outcome = try run(mode, ranks: mode == "staggered" ? 3 : 2, timeout: 60)
    #expect(outcome.ending == .exited(status: 0), "\(outcome.ending)")
  }
}
