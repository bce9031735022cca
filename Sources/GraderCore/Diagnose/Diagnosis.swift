import Foundation

/// What one rank was doing at the last poll, as the preloaded probe reports it.
public struct RankState: Sendable, Equatable {
  public enum Activity: Sendable, Equatable {
    case notStarted
    /// Outside MPI; `cpuBusy` (from /proc CPU-time deltas) tells computing from sleeping.
    case computing(cpuBusy: Bool)
    case inMPI(MPICallState)
    /// Inside or past MPI_Finalize: it will never satisfy another rank's call.
    case finalized
    /// Process gone, with its exit status if known.
    case exited(status: Int32?)
    case crashed(signal: Int32)
  }

  public var rank: Int
  public var activity: Activity
  /// MPI calls completed so far. The caller's stall detector watches it; `diagnose` does not.
  public var progress: UInt64
  /// Seconds the current activity has lasted.
  public var since: Double

  public init(rank: Int, activity: Activity, progress: UInt64 = 0, since: Double = 0) {
    self.rank = rank
    self.activity = activity
    self.progress = progress
    self.since = since
  }
}

/// The MPI call a rank is in. Every rank here is a world rank.
public struct MPICallState: Sendable, Equatable {
  public enum Peer: Sendable, Equatable { case rank(Int), anySource, none }

  /// `MPI_Send`, `MPI_Recv`, `MPI_Barrier`, `MPI_Waitany`, … (see `CallKind` for what is modelled;
  /// any other name is "not diagnosable" and counts as able to proceed).
  public var name: String
  /// Destination of a send, source of a receive (for MPI_Sendrecv the receive half, as the
  /// probe records it; see `sendPeer`). `.none` = MPI_PROC_NULL or not applicable.
  public var peer: Peer
  /// nil on a receive = MPI_ANY_TAG; nil on a send = unknown, and then it matches any receive.
  public var tag: Int?
  /// An id equal on every member rank, 0 = MPI_COMM_WORLD. Point-to-point calls match only
  /// within one; a collective instance is (communicator, collectiveSequence, name, root).
  public var communicator: UInt32
  /// This rank's n-th collective on `communicator`.
  public var collectiveSequence: UInt64
  public var root: Int?
  /// Size of a send's payload, shown in explanations; ignored for receives.
  public var bytes: Int
  /// `main.swift:14`
  public var site: String
  /// MPI_Ssend, or MPI_Send under strict sends. Informational only: a rank *stuck* in any send
  /// has not completed, eager or not, so it is treated as waiting for its receiver either way.
  public var synchronous: Bool
  /// MPI_Sendrecv only: the send half.
  public var sendPeer: Peer
  public var sendTag: Int?
  /// Isend/Irecv this rank posted and has not seen complete. A posted receive matches a
  /// partner's blocking send even while this rank is blocked elsewhere (Irecv-then-Send is
  /// correct code, not a deadlock); in MPI_Wait* the `waited` ones are what the call waits for.
  /// A wait with no `waited` request known is not diagnosable (counts as able to proceed).
  public var pending: [Request]
  /// World ranks of `communicator`; nil = every rank. Right for MPI_COMM_WORLD; for another
  /// communicator, nil may make a rank busy in a different communicator's collective look like an
  /// absent member, so the probe should fill this in for sub-communicators.
  public var members: [Int]?

  /// A nonblocking send or receive posted and not yet seen to complete.
  public struct Request: Sendable, Equatable {
    public enum Direction: Sendable, Equatable { case send, receive }
    public var direction: Direction
    public var peer: Peer
    /// As `MPICallState.tag`: nil on a receive = any tag.
    public var tag: Int?
    public var communicator: UInt32
    public var bytes: Int
    /// Named in the MPI_Wait* call in progress.
    public var waited: Bool

    public init(
      _ direction: Direction, peer: Peer, tag: Int?, communicator: UInt32 = 0, bytes: Int = 0,
      waited: Bool = true
    ) {
      self.direction = direction
      self.peer = peer
      self.tag = tag
      self.communicator = communicator
      self.bytes = bytes
      self.waited = waited
    }
  }

  public init(
    name: String, peer: Peer = .none, tag: Int? = nil, communicator: UInt32 = 0,
    collectiveSequence: UInt64 = 0, root: Int? = nil, bytes: Int = 0, site: String = "",
    synchronous: Bool = false, sendPeer: Peer = .none, sendTag: Int? = nil,
    pending: [Request] = [], members: [Int]? = nil
  ) {
    self.name = name
    self.peer = peer
    self.tag = tag
    self.communicator = communicator
    self.collectiveSequence = collectiveSequence
    self.root = root
    self.bytes = bytes
    self.site = site
    self.synchronous = synchronous
    self.sendPeer = sendPeer
    self.sendTag = sendTag
    self.pending = pending
    self.members = members
  }
}

/// Why a run is not finishing, judged from one snapshot of every rank.
public enum Diagnosis: Sendable, Equatable {
  /// No rank is provably stuck: every rank blocked in MPI waits, directly or through others,
  /// on one that can still move (or on a call we cannot model).
  case progressing
  /// Ranks that wait on each other forever.
  case deadlock(Deadlock)
  /// Ranks waiting on a rank that already finalized or exited.
  case missingPartner(MissingPartner)
  /// Ranks of one communicator stuck in different collective calls.
  case collectiveMismatch(CollectiveMismatch)
  /// A rank died by a signal: a crash verdict at once, whatever the others do.
  case crash(rank: Int, signal: Int32)

  /// One paragraph a student can act on.
  public var explanation: String {
    switch self {
    case .progressing: "no deadlock: every rank blocked in MPI waits on a rank that can still proceed"
    case .deadlock(let d): d.explanation
    case .missingPartner(let m): m.explanation
    case .collectiveMismatch(let m): m.explanation
    case .crash(let rank, let signal): DiagnosisText.crash(rank: rank, signal: signal)
    }
  }

  /// The whole run's wait-for graph, for the JSON report; nil when progressing or crashed.
  public var graph: WaitForGraph? {
    switch self {
    case .progressing, .crash: nil
    case .deadlock(let d): d.graph
    case .missingPartner(let m): m.graph
    case .collectiveMismatch(let m): m.graph
    }
  }

  /// The case verdict if the run is stalled: nil while progressing.
  public var verdict: Verdict? {
    switch self {
    case .progressing: nil
    case .crash: .crash
    case .deadlock, .missingPartner, .collectiveMismatch: .deadlock
    }
  }
}

public struct Deadlock: Sendable, Equatable {
  /// One wait cycle, in wait order, starting at its lowest rank (`[0, 1]`: 0 waits for 1,
  /// 1 for 0). With OR edges (MPI_ANY_SOURCE) it is one cycle through the knot.
  public var cycle: [Int]
  /// Every rank that can never proceed, ascending: the cycle and whoever waits on it.
  public var ranks: [Int]
  public var explanation: String
  public var graph: WaitForGraph
}

public struct MissingPartner: Sendable, Equatable {
  /// Stuck ranks waiting directly on a finished rank, ascending.
  public var waiting: [Int]
  /// The finished ranks they wait for, ascending.
  public var finished: [Int]
  public var explanation: String
  public var graph: WaitForGraph
}

public struct CollectiveMismatch: Sendable, Equatable {
  public var communicator: UInt32
  /// Ranks grouped by the collective call they are in: smallest group (the odd one out) first.
  public var groups: [[Int]]
  public var explanation: String
  public var graph: WaitForGraph
}
