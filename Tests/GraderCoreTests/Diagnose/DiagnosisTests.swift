import Testing

@testable import GraderCore

/// Verdicts on synthetic snapshots: every stuck case checks the exact explanation a student sees.
@Suite struct DiagnosisTests {
  typealias S = Snap

  // MARK: Deadlocks

  @Test func sendSendIsADeadlock() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.send(to: 1, bytes: 8_000_000)), S.mpi(1, S.send(to: 0, bytes: 8_000_000))])
    let deadlock = try #require(d.deadlock)
    #expect(deadlock.cycle == [0, 1])
    #expect(deadlock.ranks == [0, 1])
    #expect(d.verdict == .deadlock)
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Send(to 1, tag 0, 8 MB) at main.swift:14 waits for rank 1; "
        + "rank 1 in MPI_Send(to 0, tag 0, 8 MB) at main.swift:14 waits for rank 0")
  }

  @Test func receiveReceiveIsADeadlock() throws {
    let d = Diagnoser.diagnose([S.mpi(1, S.recv(from: 0)), S.mpi(0, S.recv(from: 1))])
    #expect(try #require(d.deadlock).cycle == [0, 1], "input order doesn't matter")
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Recv(from 1, tag 0) at main.swift:9 waits for rank 1; "
        + "rank 1 in MPI_Recv(from 0, tag 0) at main.swift:9 waits for rank 0")
  }

  @Test(arguments: [3, 4]) func sendRingIsADeadlock(size: Int) throws {
    let d = Diagnoser.diagnose((0..<size).map { S.mpi($0, S.send(to: ($0 + 1) % size, bytes: 1_500)) })
    #expect(try #require(d.deadlock).cycle == Array(0..<size))
    let waits = (0..<size).map {
      "rank \($0) in MPI_Send(to \(($0 + 1) % size), tag 0, 1.5 KB) at main.swift:14 waits for rank \(($0 + 1) % size)"
    }
    #expect(d.explanation == "deadlock: " + waits.joined(separator: "; "))
  }

  @Test func leftwardRingIsReportedInWaitOrder() throws {
    let d = Diagnoser.diagnose((0..<3).map { S.mpi($0, S.send(to: ($0 + 2) % 3)) })
    #expect(try #require(d.deadlock).cycle == [0, 2, 1])
  }

  @Test func tagMismatchNamesBothTags() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.send(to: 1, tag: 1)), S.mpi(1, S.recv(from: 0, tag: 2))])
    #expect(try #require(d.deadlock).cycle == [0, 1])
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Send(to 1, tag 1, 8 B) at main.swift:14 waits for rank 1; "
        + "rank 1 in MPI_Recv(from 0, tag 2) at main.swift:9 waits for rank 0; "
        + "rank 0 sends tag 1 but rank 1 receives tag 2, so they never match")
  }

  @Test func anySourceNobodyWillSatisfyIsADeadlock() throws {
    let d = Diagnoser.diagnose([
      S.mpi(0, S.recv(from: nil, tag: nil)), S.mpi(1, S.recv(from: 0)), S.mpi(2, S.recv(from: nil, tag: nil)),
    ])
    let deadlock = try #require(d.deadlock)
    #expect(deadlock.cycle == [0, 1])
    #expect(deadlock.ranks == [0, 1, 2])
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Recv(from any, any tag) at main.swift:9 waits for any of ranks 1, 2; "
        + "rank 1 in MPI_Recv(from 0, tag 0) at main.swift:9 waits for rank 0; "
        + "rank 2 in MPI_Recv(from any, any tag) at main.swift:9 waits for any of ranks 0, 1")
  }

  @Test func barrierAgainstAReceiveIsADeadlock() {
    let d = Diagnoser.diagnose([S.mpi(0, S.collective("MPI_Barrier", 2)), S.mpi(1, S.recv(from: 0))])
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Barrier #2 at main.swift:20 waits for rank 1; "
        + "rank 1 in MPI_Recv(from 0, tag 0) at main.swift:9 waits for rank 0")
  }

  @Test func deadlockBesideAComputingRankIsStillADeadlock() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.send(to: 1)), S.mpi(1, S.send(to: 0)), S.computing(2)])
    #expect(try #require(d.deadlock).ranks == [0, 1])
  }

  @Test func irecvIrecvWaitIsADeadlock() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.wait([S.irecv(from: 1)])), S.mpi(1, S.wait([S.irecv(from: 0)]))])
    #expect(
      d.explanation == "deadlock: rank 0 in MPI_Wait(Irecv from 1, tag 0) at main.swift:30 waits for rank 1; "
        + "rank 1 in MPI_Wait(Irecv from 0, tag 0) at main.swift:30 waits for rank 0")
  }

  @Test func waitanyNamesTheFinishedAlternative() throws {
    let d = Diagnoser.diagnose([
      S.mpi(0, S.wait([S.irecv(from: 1), S.irecv(from: 2)], name: "MPI_Waitany")), S.finalized(1), S.mpi(2, S.recv(from: 0)),
    ])
    #expect(try #require(d.deadlock).cycle == [0, 2])
    #expect(
      d.explanation
        == "deadlock: rank 0 in MPI_Waitany(Irecv from 1, tag 0; Irecv from 2, tag 0) at main.swift:30 waits for "
        + "any of ranks 1 (called MPI_Finalize), 2; rank 2 in MPI_Recv(from 0, tag 0) at main.swift:9 waits for rank 0")
  }

  // MARK: Missing partners

  @Test func receiveFromAnExitedRank() throws {
    let d = Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.exited(1, 0)])
    let missing = try #require(d.missingPartner)
    #expect(missing.waiting == [0] && missing.finished == [1])
    #expect(d.verdict == .deadlock)
    #expect(
      d.explanation
        == "missing partner: rank 0 in MPI_Recv(from 1, tag 0) at main.swift:9 waits for rank 1, which already finished "
        + "(exited with status 0)")
  }

  @Test func barrierSkippedByAFinishedRank() {
    let barrier = S.collective("MPI_Barrier", 2)
    let line = { (r: Int, why: String) in
      "rank \(r) in MPI_Barrier #2 at main.swift:20 waits for rank 1, which already finished (\(why))"
    }
    let finalized = Diagnoser.diagnose([S.mpi(0, barrier), S.finalized(1), S.mpi(2, barrier)])
    #expect(finalized.missingPartner?.waiting == [0, 2])
    #expect(
      finalized.explanation
        == "missing partner: \(line(0, "called MPI_Finalize")); \(line(2, "called MPI_Finalize"))")
    let exited = Diagnoser.diagnose([S.mpi(0, barrier), S.exited(1, nil), S.mpi(2, barrier)])
    #expect(exited.explanation == "missing partner: \(line(0, "exited")); \(line(2, "exited"))")
  }

  @Test func barrierWhileOneRankComputesIsProgressing() {
    let barrier = S.collective("MPI_Barrier", 2)
    #expect(Diagnoser.diagnose([S.mpi(0, barrier), S.computing(1), S.mpi(2, barrier)]) == .progressing)
  }

  @Test func anySourceWithEveryoneFinished() {
    let d = Diagnoser.diagnose([S.mpi(0, S.recv(from: nil, tag: nil)), S.finalized(1), S.exited(2, 0)])
    #expect(d.missingPartner?.finished == [1, 2])
    #expect(
      d.explanation == "missing partner: rank 0 in MPI_Recv(from any, any tag) at main.swift:9 waits for any of "
        + "ranks 1, 2, which all already finished (rank 1 called MPI_Finalize, rank 2 exited with status 0)")
  }

  // MARK: Collective mismatches

  @Test func bcastWithDifferentRoots() throws {
    let d = Diagnoser.diagnose([
      S.mpi(0, S.collective("MPI_Bcast", 3, root: 0)), S.mpi(1, S.collective("MPI_Bcast", 3, root: 1)),
    ])
    #expect(try #require(d.mismatch).groups == [[0], [1]])
    #expect(d.verdict == .deadlock)
    #expect(
      d.explanation == "collective mismatch: rank 0 in MPI_Bcast(root 0) #3 at main.swift:20 "
        + "but rank 1 in MPI_Bcast(root 1) #3 at main.swift:20 (different roots)")
  }

  @Test func barrierAgainstReduceNamesTheOddOneOutFirst() throws {
    let reduce = S.collective("MPI_Reduce", 2, root: 0, site: "main.swift:18")
    let d = Diagnoser.diagnose([S.mpi(0, reduce), S.mpi(1, reduce), S.mpi(2, S.collective("MPI_Barrier", 2))])
    #expect(try #require(d.mismatch).groups == [[2], [0, 1]])
    #expect(
      d.explanation == "collective mismatch: rank 2 in MPI_Barrier #2 at main.swift:20 "
        + "but ranks 0, 1 in MPI_Reduce(root 0) #2 at main.swift:18 (different collectives)")
  }

  @Test func differentCollectiveCounts() {
    let d = Diagnoser.diagnose([S.mpi(0, S.collective("MPI_Barrier", 3)), S.mpi(1, S.collective("MPI_Barrier", 2))])
    #expect(
      d.explanation == "collective mismatch: rank 0 in MPI_Barrier #3 at main.swift:20 "
        + "but rank 1 in MPI_Barrier #2 at main.swift:20 (the ranks made different numbers of collective calls before this one)")
  }

  // MARK: Crashes

  @Test func aCrashIsACrashWhateverTheOthersDo() {
    let d = Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.crashed(1, 11)])
    #expect(d == .crash(rank: 1, signal: 11))
    #expect(d.verdict == .crash)
    #expect(
      d.explanation == "crash: rank 1 was killed by signal 11 (SIGSEGV), an invalid memory access "
        + "(an unsafe pointer, or a buffer smaller than the MPI call was told)")
  }

  @Test func theRootCrashWinsOverCleanupKillsAndLaterCrashes() {
    let cleanup = [S.crashed(0, 15, since: 0.3), S.crashed(1, 4, since: 0.1), S.crashed(2, 11, since: 0.2)]
    #expect(Diagnoser.diagnose(cleanup) == .crash(rank: 2, signal: 11))
  }

  // MARK: No false alarms

  @Test func matchedTransferInProgress() {
    #expect(Diagnoser.diagnose([S.mpi(0, S.send(to: 1, bytes: 80_000_000)), S.mpi(1, S.recv(from: 0))]) == .progressing)
  }

  @Test func waitingOnAComputingOrSleepingRank() {
    #expect(Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.computing(1)]) == .progressing)
    #expect(Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.computing(1, busy: false)]) == .progressing)
  }

  @Test func pingPong() {
    #expect(Diagnoser.diagnose([S.mpi(0, S.recv(from: 1, tag: 1)), S.mpi(1, S.send(to: 0, tag: 1))]) == .progressing)
  }

  @Test func anySourceWithAMatchingSender() {
    let d = Diagnoser.diagnose([S.mpi(0, S.recv(from: nil, tag: nil)), S.mpi(1, S.send(to: 0, tag: 3)), S.mpi(2, S.recv(from: 0))])
    #expect(d == .progressing)
  }

  @Test func sendsToPostedReceivesComplete() {
    // Irecv, then a large Send, then Wait: the correct exchange, both ranks caught in Send.
    let d = Diagnoser.diagnose([
      S.mpi(0, S.send(to: 1, bytes: 8_000_000, pending: [S.irecv(from: 1, waited: false)])),
      S.mpi(1, S.send(to: 0, bytes: 8_000_000, pending: [S.irecv(from: 0, waited: false)])),
    ])
    #expect(d == .progressing)
    let waits = [S.irecv(from: 1), S.isend(to: 1)]
    #expect(Diagnoser.diagnose([S.mpi(0, S.wait(waits, name: "MPI_Waitall")), S.mpi(1, S.wait([S.irecv(from: 0), S.isend(to: 0)], name: "MPI_Waitall"))]) == .progressing)
  }

  @Test func sendrecvRing() {
    let ring = (0..<3).map { r in
      S.mpi(r, MPICallState(name: "MPI_Sendrecv", peer: .rank((r + 2) % 3), tag: 0, sendPeer: .rank((r + 1) % 3), sendTag: 0))
    }
    #expect(Diagnoser.diagnose(ring) == .progressing)
  }

  @Test func collectiveEveryoneJoined() {
    #expect(Diagnoser.diagnose((0..<3).map { S.mpi($0, S.collective("MPI_Allreduce", 5)) }) == .progressing)
  }

  @Test func callsWeCannotModelAreNotDeadlocks() {
    #expect(Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.mpi(1, S.wait([], name: "MPI_Waitall"))]) == .progressing)
    #expect(Diagnoser.diagnose([S.mpi(0, S.recv(from: 1)), S.mpi(1, MPICallState(name: "MPI_Win_fence"))]) == .progressing)
  }

  @Test func disjointSubCommunicatorsWithMembers() {
    func barrier(_ comm: UInt32, _ members: [Int]) -> MPICallState {
      MPICallState(name: "MPI_Barrier", communicator: comm, collectiveSequence: 1, members: members)
    }
    let d = Diagnoser.diagnose([
      S.mpi(0, barrier(1, [0, 1])), S.mpi(1, barrier(1, [0, 1])), S.mpi(2, barrier(2, [2, 3])), S.mpi(3, barrier(2, [2, 3])),
    ])
    #expect(d == .progressing)
  }

  @Test func everyoneFinishedIsNotStuck() {
    #expect(Diagnoser.diagnose([S.finalized(0), S.exited(1, 0)]) == .progressing)
    #expect(Diagnoser.diagnose([S.finalized(0), S.exited(1, 0)]).verdict == nil)
  }
}
