import Testing
import TestSupport

/// Rank, size, clock, finalisation at exit, abort.
@Suite struct RuntimeTests {
  static let program = """
    import MPI
    let comm = MPI.world
    let t0 = MPI.wtime()
    print("rank \\(comm.rank) of \\(comm.size) square \\(comm.rank * comm.rank)")
    let t1 = MPI.wtime()
    print("clock \\(t1 >= t0 && t1 - t0 < 5)")
    if CommandLine.arguments.count > 1, comm.rank == comm.size - 1 { MPI.abort(code: 7) }
    comm.barrier()
    """

  @Test(arguments: [1, 2, 3, 4])
  func everyRankKnowsItsRankAndSize(ranks: Int) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.program), ranks: ranks)
    #expect(run.status == 0, "stderr: \(run.stderr)")
    for rank in 0..<ranks {
      #expect(run.lines(rank: rank) == ["rank \(rank) of \(ranks) square \(rank * rank)", "clock true"])
    }
    // Returning from main finalises MPI: Open MPI complains loudly when it is not.
    #expect(!run.stderr.contains("exiting improperly"))
    #expect(!run.stderr.contains("MPI_FINALIZE"))
  }

  @Test func abortStopsEveryRankWithTheCode() throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.program), ranks: 2, arguments: ["abort"])
    #expect(run.status == 7)
  }
}
