import Foundation

/// The calls the analysis tells apart, by name.
enum CallKind: Equatable {
  case send, receive, sendReceive, collective, waitAll, waitAny, finalize, other

  init(_ name: String) {
    switch name {
    case "MPI_Send", "MPI_Ssend", "MPI_Bsend", "MPI_Rsend": self = .send
    // A blocking probe waits for a matching send just like a receive.
    case "MPI_Recv", "MPI_Probe", "MPI_Mprobe": self = .receive
    case "MPI_Sendrecv", "MPI_Sendrecv_replace": self = .sendReceive
    case "MPI_Wait", "MPI_Waitall": self = .waitAll
    case "MPI_Waitany", "MPI_Waitsome": self = .waitAny
    case "MPI_Finalize": self = .finalize
    default: self = Self.collectives.contains(name) ? .collective : .other
    }
  }

  static let collectives: Set<String> = [
    "MPI_Barrier", "MPI_Bcast", "MPI_Reduce", "MPI_Allreduce", "MPI_Gather", "MPI_Gatherv",
    "MPI_Scatter", "MPI_Scatterv", "MPI_Allgather", "MPI_Allgatherv", "MPI_Alltoall",
    "MPI_Alltoallv", "MPI_Alltoallw", "MPI_Reduce_scatter", "MPI_Reduce_scatter_block",
    "MPI_Scan", "MPI_Exscan", "MPI_Comm_split", "MPI_Comm_dup", "MPI_Comm_create",
  ]
}

/// One half of a point-to-point exchange: a blocking call's send or receive, or a posted request.
struct Transfer: Equatable {
  var isSend: Bool
  /// Destination of a send, source of a receive.
  var peer: MPICallState.Peer
  var tag: Int?
  var communicator: UInt32

  /// Whether `send`, made by `sender`, and `receive`, posted by `receiver`, match.
  static func match(send: Transfer, by sender: Int, receive: Transfer, by receiver: Int) -> Bool {
    send.peer == .rank(receiver) && (receive.peer == .rank(sender) || receive.peer == .anySource)
      && send.communicator == receive.communicator
      && (send.tag == nil || receive.tag == nil || send.tag == receive.tag)
  }
}

extension MPICallState {
  var kind: CallKind { CallKind(name) }

  /// The halves of a blocking point-to-point call.
  var blocking: [Transfer] {
    let send = Transfer(isSend: true, peer: kind == .sendReceive ? sendPeer : peer,
      tag: kind == .sendReceive ? sendTag : tag, communicator: communicator)
    let receive = Transfer(isSend: false, peer: peer, tag: tag, communicator: communicator)
    switch kind {
    case .send: return [send]
    case .receive: return [receive]
    case .sendReceive: return [send, receive]
    default: return []
    }
  }

  /// What a partner can match: blocking halves and posted requests alike.
  var outstanding: [Transfer] { blocking + pending.map(\.transfer) }

  /// What the call itself waits to complete: its blocking halves, or the requests a wait names.
  var awaited: [Transfer] {
    kind == .waitAll || kind == .waitAny ? pending.filter(\.waited).map(\.transfer) : blocking
  }

  /// Whether both are the same collective instance: anything else on one communicator never meets.
  func sameCollective(as other: MPICallState) -> Bool {
    communicator == other.communicator && collectiveSequence == other.collectiveSequence
      && name == other.name && root == other.root
  }
}

extension MPICallState.Request {
  var transfer: Transfer { Transfer(isSend: direction == .send, peer: peer, tag: tag, communicator: communicator) }
}

/// Turns each rank's call into wait clauses, dropping the waits a partner already matches.
struct ClauseBuilder {
  let ranks: [Int]
  let states: [Int: RankState]

  /// What one awaited transfer needs.
  private enum Outcome: Equatable {
    case done
    case waits([Int])
    /// A peer we can't model (MPI_ANY_SOURCE on a send, a rank not in the run).
    case unknown
  }

  func call(_ r: Int) -> MPICallState? {
    if case .inMPI(let call) = states[r]?.activity { call } else { nil }
  }

  func finished(_ r: Int) -> Bool {
    switch states[r]?.activity {
    case .finalized, .exited: true
    case .inMPI(let call): call.kind == .finalize
    default: false
    }
  }

  func node(_ rank: Int, _ state: RankState) -> WaitAnalysis.Node {
    switch state.activity {
    case .notStarted, .computing: return .init(state: state, status: .running)
    case .finalized, .exited: return .init(state: state, status: .finished)
    case .crashed: return .init(state: state, status: .crashed)
    case .inMPI(let call):
      if call.kind == .finalize { return .init(state: state, status: .finished) }
      guard let clauses = clauses(rank, call) else { return .init(state: state, status: .undiagnosable) }
      var unique: [[Int]] = []
      for clause in clauses where !unique.contains(clause) { unique.append(clause) }
      return .init(state: state, status: .blocked, clauses: unique)
    }
  }

  /// nil = not diagnosable; [] = nothing left to wait for.
  private func clauses(_ r: Int, _ call: MPICallState) -> [[Int]]? {
    switch call.kind {
    case .send, .receive, .sendReceive, .waitAll:
      let outcomes = call.awaited.map { outcome(r, $0, call.members) }
      // A wait naming no request we know of may wait on anything.
      if outcomes.isEmpty && call.kind == .waitAll { return nil }
      if outcomes.contains(.unknown) { return nil }
      return outcomes.compactMap { if case .waits(let targets) = $0 { targets } else { nil } }
    case .waitAny:
      // Released as soon as any one request can complete: one OR clause over all their peers.
      let outcomes = call.awaited.map { outcome(r, $0, call.members) }
      if outcomes.isEmpty || outcomes.contains(.unknown) { return nil }
      if outcomes.contains(.done) { return [] }
      let peers = outcomes.flatMap { outcome -> [Int] in if case .waits(let t) = outcome { t } else { [] } }
      return [Array(Set(peers)).sorted()]
    case .collective:
      // Every member not in this very collective instance must still arrive.
      return (call.members ?? ranks).filter { m in
        guard m != r, states[m] != nil else { return false }
        guard let other = self.call(m) else { return true }
        return !(other.kind == .collective && other.sameCollective(as: call))
      }.map { [$0] }
    case .finalize, .other:
      return nil
    }
  }

  private func outcome(_ r: Int, _ transfer: Transfer, _ members: [Int]?) -> Outcome {
    switch transfer.peer {
    case .none:
      return .done  // MPI_PROC_NULL completes at once
    case .rank(let p):
      guard states[p] != nil else { return .unknown }
      return matched(r, transfer, p) ? .done : .waits([p])
    case .anySource:
      guard !transfer.isSend else { return .unknown }
      let others = (members ?? ranks).filter { $0 != r && states[$0] != nil }
      if others.contains(where: { matched(r, transfer, $0) }) { return .done }
      // Finished ranks can't send; if all are finished, keep them so the wait names them.
      let alive = others.filter { !finished($0) }
      return .waits(alive.isEmpty ? (others.isEmpty ? [r] : others) : alive)
    }
  }

  /// Whether `p` has a call or posted request that completes `r`'s `transfer`.
  private func matched(_ r: Int, _ transfer: Transfer, _ p: Int) -> Bool {
    guard let other = call(p) else { return false }
    return other.outstanding.contains { theirs in
      transfer.isSend
        ? !theirs.isSend && Transfer.match(send: transfer, by: r, receive: theirs, by: p)
        : theirs.isSend && Transfer.match(send: theirs, by: p, receive: transfer, by: r)
    }
  }
}
