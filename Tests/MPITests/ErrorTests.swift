import Testing
import TestSupport

/// A misused call stops the job with one line naming the call, rank, reason and line.
@Suite struct ErrorTests {
  static let program = """
    import MPI
    let comm = MPI.world
    let mode = CommandLine.arguments[1]
    if mode == "bad-rank", comm.rank == 0 {
      comm.send(42, to: 7)
    }
    if mode == "wrong-type" {
      if comm.rank == 0 { comm.send("text", to: 1) } else { _ = comm.recv(Int.self, from: 0) }
    }
    if mode == "wrong-size" {
      if comm.rank == 0 { comm.send(buffer: [1.0, 2.0, 3.0], to: 1) }
      else { var x = [Double](repeating: 0, count: 10); comm.recv(into: &x, from: 0) }
    }
    if mode == "bad-scatter" {
      var mine = [Int](repeating: 0, count: 2)
      comm.scatter(buffer: [1, 2, 3], into: &mine, root: 0)
    }
    if mode == "buffer-as-object" {
      if comm.rank == 0 { comm.send(buffer: [0.0, 1.0], to: 1) } else { _ = comm.recv(String.self, from: 0) }
    }
    comm.barrier()
    print("unreachable")
    """

  @Test(arguments: [
    ("bad-rank", 0, "send(Int, to: 7, tag: 0) at main.swift:5: MPI_ERR_RANK: invalid rank"),
    ("wrong-type", 1, "recv(Int, from: 0, tag: -1) at main.swift:8: got a String from rank 0, expected Int"),
    ("wrong-size", 1,
     "recv(into: [Double] × 10, from: 0, tag: -1) at main.swift:12: got 3 elements from rank 0, expected 10 Double values"),
    ("bad-scatter", 0,
     "scatter(buffer: [Int] × 3, into: [Int] × 2, root: 0) at main.swift:16: the root's buffer holds 3 elements, expected 2 ranks × 2 = 4; use scatterv for uneven chunks"),
    ("buffer-as-object", 1,
     "recv(String, from: 0, tag: -1) at main.swift:19: got 16 raw bytes from rank 0, not an object message (sent with send(buffer:)?)"),
  ])
  func misuseStopsTheJobWithOneClearLine(mode: String, rank: Int, message: String) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.program), ranks: 2, arguments: [mode])
    #expect(run.status != 0)
    #expect(run.errorLines(rank: rank).contains("MPI error: rank \(rank), \(message)"), "\(run.stderr)")
    #expect(!run.stdout.contains("unreachable"))
  }
}
