import Testing
import TestSupport

/// isend/irecv with wait, test and waitAll.
@Suite struct NonblockingTests {
  static let program = """
    import MPI
    import Foundation
    let comm = MPI.world
    let peer = comm.rank ^ 1
    if peer < comm.size {
      // Both ranks post large sends first: blocking sends of this size would hang.
      let n = 1 << 20
      let outgoing = [Double](repeating: Double(comm.rank) + 0.5, count: n)
      let send = comm.isend(buffer: outgoing, to: peer, tag: 3)
      let receive = comm.irecv(Double.self, count: n, from: peer, tag: 3)
      let objectSend = comm.isend(["rank": comm.rank], to: peer, tag: 4)
      let objectReceive = comm.irecv([String: Int].self, from: peer, tag: 4)
      Request.waitAll([send, receive, objectSend, objectReceive])
      let values = receive.wait()
      print("buffer \\(values.count) \\(values.allSatisfy { $0 == Double(peer) + 0.5 })")
      print("object \\(objectReceive.wait())")

      // Overlap: poll a receive while working; the sender is late on purpose.
      if comm.rank == 0 {
        let late = comm.irecv(String.self, from: 1, tag: 5)
        var polls = 0
        while !late.test() { polls += 1; usleep(1000) }
        print("polled \\(polls > 10) got \\(late.value ?? "nothing")")
        let early = comm.irecv(Int32.self, count: 2, from: 1, tag: 6)
        print("early \\(early.wait())")
      } else {
        usleep(200_000)
        comm.send("late", to: 0, tag: 5)
        let r = comm.isend(buffer: [Int32(7), 8], to: 0, tag: 6)
        while !r.test() {}
        r.wait()
      }
    } else {
      print("no peer")
    }
    """

  @Test(arguments: [2, 3, 4])
  func nonblockingCallsOverlapAndComplete(ranks: Int) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.program), ranks: ranks)
    #expect(run.status == 0, "\(run.stderr)")
    for rank in 0..<ranks {
      let peer = rank ^ 1
      guard peer < ranks else {
        #expect(run.lines(rank: rank) == ["no peer"])
        continue
      }
      var expected = ["buffer 1048576 true", "object [\"rank\": \(peer)]"]
      if rank == 0 { expected += ["polled true got late", "early [7, 8]"] }
      #expect(run.lines(rank: rank) == expected)
    }
  }
}
