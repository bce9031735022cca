import Foundation
import Testing

@testable import GraderCore

/// The wording shared by explanations and `describe`, and the graph the JSON report carries.
@Suite struct DiagnosisTextTests {
  typealias S = Snap

  @Test func sizesUseDecimalUnitsWithOneDecimalBelowTen() {
    let cases: [(Int, String)] = [
      (0, "0 B"), (999, "999 B"), (1_000, "1 KB"), (1_500, "1.5 KB"), (9_949, "9.9 KB"), (9_950, "10 KB"),
      (999_499, "999 KB"), (999_500, "1 MB"), (8_000_000, "8 MB"), (8_388_608, "8.4 MB"), (12_345_678, "12 MB"),
      (2_500_000_000, "2.5 GB"), (-1, "0 B"),
    ]
    for (bytes, text) in cases { #expect(DiagnosisText.bytes(bytes) == text, "\(bytes)") }
  }

  @Test func callDescriptions() {
    let sendrecv = MPICallState(
      name: "MPI_Sendrecv", peer: .anySource, tag: nil, communicator: 2, bytes: 400, sendPeer: .rank(1), sendTag: 7)
    #expect(DiagnosisText.call(sendrecv) == "MPI_Sendrecv(to 1, tag 7, 400 B; from any, any tag, comm 2)")
    #expect(DiagnosisText.call(S.recv(from: 3, tag: nil)) == "MPI_Recv(from 3, any tag)")
    #expect(DiagnosisText.call(MPICallState(name: "MPI_Ssend", peer: .none, tag: 1)) == "MPI_Ssend(to MPI_PROC_NULL, tag 1, 0 B)")
    let bcast = MPICallState(name: "MPI_Bcast", communicator: 4, collectiveSequence: 9, root: 2)
    #expect(DiagnosisText.call(bcast) == "MPI_Bcast(root 2, comm 4) #9")
    #expect(DiagnosisText.call(S.wait([S.isend(to: 2, tag: 1), S.irecv(from: 2)], name: "MPI_Waitall"))
      == "MPI_Waitall(Isend to 2, tag 1, 8 B; Irecv from 2, tag 0)")
    let halo = (0..<4).flatMap { [S.isend(to: $0), S.irecv(from: $0)] }
    #expect(DiagnosisText.call(S.wait(halo, name: "MPI_Waitall")) == "MPI_Waitall(8 requests)")
    #expect(DiagnosisText.call(MPICallState(name: "MPI_Comm_rank")) == "MPI_Comm_rank")
  }

  @Test func describeSaysWhatEachRankIsDoingAndWaitingFor() {
    let text = Diagnoser.describe([
      S.mpi(0, S.collective("MPI_Barrier", 2), since: 12),
      S.computing(1, since: 12),
      S.computing(2, busy: false, since: 3.25),
      S.mpi(3, S.recv(from: 1), since: 0.5),
      S.finalized(4),
      S.exited(5, 1),
      S.crashed(6, 6),
      RankState(rank: 7, activity: .notStarted, since: 2),
    ])
    #expect(
      text == """
        rank 0: in MPI_Barrier #2 at main.swift:20 since 12.0 s, waits for ranks 1 (running, outside MPI), \
        2 (sleeping, outside MPI), 3 (in MPI_Recv), 4 (called MPI_Finalize), 5 (exited with status 1), \
        6 (killed by signal 6 (SIGABRT)), 7 (not started)
        rank 1: computing (outside MPI, CPU busy) for 12.0 s
        rank 2: sleeping (outside MPI, idle) for 3.2 s
        rank 3: in MPI_Recv(from 1, tag 0) at main.swift:9 since 0.5 s, waits for rank 1 (running, outside MPI)
        rank 4: called MPI_Finalize
        rank 5: exited with status 1
        rank 6: killed by signal 6 (SIGABRT)
        rank 7: not started for 2.0 s
        """)
  }

  @Test func describeLeavesMatchedTransfersAlone() {
    let text = Diagnoser.describe([S.mpi(0, S.send(to: 1, bytes: 80_000_000), since: 2), S.mpi(1, S.recv(from: 0), since: 2)])
    #expect(
      text == """
        rank 0: in MPI_Send(to 1, tag 0, 80 MB) at main.swift:14 since 2.0 s
        rank 1: in MPI_Recv(from 0, tag 0) at main.swift:9 since 2.0 s
        """)
  }

  @Test func deadlockGraphHasEveryRankAndItsEdges() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.send(to: 1)), S.mpi(1, S.send(to: 0)), S.computing(2)])
    let graph = try #require(d.graph)
    #expect(
      graph.nodes == [
        .init(rank: 0, call: "MPI_Send(to 1, tag 0, 8 B)", site: "main.swift:14", state: .stuck),
        .init(rank: 1, call: "MPI_Send(to 0, tag 0, 8 B)", site: "main.swift:14", state: .stuck),
        .init(rank: 2, call: "", site: "", state: .running),
      ])
    #expect(graph.edges == [.init(from: 0, to: 1, kind: .and), .init(from: 1, to: 0, kind: .and)])
  }

  @Test func anySourceWaitsAreOrEdgesInJSON() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.recv(from: nil, tag: nil)), S.mpi(1, S.recv(from: 0)), S.mpi(2, S.send(to: 1, tag: 9))])
    let graph = try #require(d.graph)
    #expect(graph.edges.filter { $0.from == 0 }.map(\.kind) == [.or, .or])
    #expect(graph.nodes.map(\.state) == [.stuck, .stuck, .stuck])
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: try encoder.encode(graph), as: UTF8.self)
    #expect(json.contains(#"{"from":0,"kind":"or","to":1},{"from":0,"kind":"or","to":2}"#))
    #expect(json.contains(#"{"call":"MPI_Recv(from 0, tag 0)","rank":1,"site":"main.swift:9","state":"stuck"}"#))
    #expect(try JSONDecoder().decode(WaitForGraph.self, from: Data(json.utf8)) == graph)
  }

  @Test func graphMarksMatchedAndWaitingRanks() throws {
    // 2 waits for 0, which is matched with 1; 3 and 4 are deadlocked on each other.
    let d = Diagnoser.diagnose([
      S.mpi(0, S.send(to: 1)), S.mpi(1, S.recv(from: 0)), S.mpi(2, S.recv(from: 0)),
      S.mpi(3, S.recv(from: 4)), S.mpi(4, S.recv(from: 3)),
    ])
    #expect(try #require(d.graph).nodes.map(\.state) == [.matched, .matched, .waiting, .stuck, .stuck])
    #expect(d.deadlock?.ranks == [3, 4])
  }
}
