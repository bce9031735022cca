@testable import GraderCore

/// Synthetic probe snapshots: one constructor per thing a rank can be doing.
enum Snap {
  static func mpi(_ rank: Int, _ call: MPICallState, since: Double = 1) -> RankState {
    RankState(rank: rank, activity: .inMPI(call), progress: 3, since: since)
  }

  static func computing(_ rank: Int, busy: Bool = true, since: Double = 1) -> RankState {
    RankState(rank: rank, activity: .computing(cpuBusy: busy), progress: 3, since: since)
  }

  static func finalized(_ rank: Int) -> RankState { RankState(rank: rank, activity: .finalized, progress: 4) }

  static func exited(_ rank: Int, _ status: Int32?) -> RankState {
    RankState(rank: rank, activity: .exited(status: status), progress: 4)
  }

  static func crashed(_ rank: Int, _ signal: Int32, since: Double = 0) -> RankState {
    RankState(rank: rank, activity: .crashed(signal: signal), progress: 2, since: since)
  }

  static func send(
    to dest: Int, tag: Int = 0, bytes: Int = 8, site: String = "main.swift:14", pending: [MPICallState.Request] = []
  ) -> MPICallState {
    MPICallState(name: "MPI_Send", peer: .rank(dest), tag: tag, bytes: bytes, site: site, pending: pending)
  }

  /// `from: nil` is MPI_ANY_SOURCE, `tag: nil` MPI_ANY_TAG.
  static func recv(from source: Int?, tag: Int? = 0, site: String = "main.swift:9") -> MPICallState {
    MPICallState(name: "MPI_Recv", peer: source.map { .rank($0) } ?? .anySource, tag: tag, site: site)
  }

  static func collective(_ name: String, _ sequence: UInt64, root: Int? = nil, site: String = "main.swift:20")
    -> MPICallState
  {
    MPICallState(name: name, collectiveSequence: sequence, root: root, site: site)
  }

  static func wait(_ requests: [MPICallState.Request], name: String = "MPI_Wait", site: String = "main.swift:30")
    -> MPICallState
  {
    MPICallState(name: name, site: site, pending: requests)
  }

  static func irecv(from source: Int, tag: Int = 0, waited: Bool = true) -> MPICallState.Request {
    .init(.receive, peer: .rank(source), tag: tag, waited: waited)
  }

  static func isend(to dest: Int, tag: Int = 0, waited: Bool = true) -> MPICallState.Request {
    .init(.send, peer: .rank(dest), tag: tag, bytes: 8, waited: waited)
  }
}

extension Diagnosis {
  var deadlock: Deadlock? { if case .deadlock(let d) = self { d } else { nil } }
  var missingPartner: MissingPartner? { if case .missingPartner(let m) = self { m } else { nil } }
  var mismatch: CollectiveMismatch? { if case .collectiveMismatch(let m) = self { m } else { nil } }
}
