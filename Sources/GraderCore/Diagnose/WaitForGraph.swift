import Foundation

/// Who waits for whom in a stalled run, for the JSON report. A rank needs all its `and` edges
/// satisfied but only one of its `or` edges (MPI_ANY_SOURCE, MPI_Waitany): MUST's AND⊕OR model.
public struct WaitForGraph: Codable, Sendable, Equatable {
  public struct Node: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
      /// Outside MPI or not started: can move.
      case running
      /// In a point-to-point call whose partner is in the matching call, or in a collective all
      /// members have joined: a transfer in progress, not a wait.
      case matched
      /// Blocked, but on ranks that can move, directly or through others.
      case waiting
      /// Can never proceed.
      case stuck
      /// In an MPI call we cannot model: assumed able to proceed.
      case undiagnosable
      /// Finalized or exited: satisfies no one.
      case finished
      case crashed
    }

    public var rank: Int
    /// `MPI_Send(to 1, tag 0, 8 MB)`; empty outside MPI.
    public var call: String
    public var site: String
    public var state: State

    public init(rank: Int, call: String, site: String, state: State) {
      self.rank = rank
      self.call = call
      self.site = site
      self.state = state
    }
  }

  public struct Edge: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case and, or }
    public var from: Int
    public var to: Int
    public var kind: Kind

    public init(from: Int, to: Int, kind: Kind) {
      self.from = from
      self.to = to
      self.kind = kind
    }
  }

  public var nodes: [Node]
  public var edges: [Edge]

  public init(nodes: [Node], edges: [Edge]) {
    self.nodes = nodes
    self.edges = edges
  }
}

/// A run's wait-for graph, reduced: which ranks can never proceed.
struct WaitAnalysis {
  enum Status: Equatable { case running, undiagnosable, finished, crashed, blocked }

  struct Node {
    var state: RankState
    var status: Status
    /// All must be satisfied, each by any one of its ranks: a one-rank clause is an AND edge,
    /// a longer one a set of OR edges. Empty and blocked = matched with its partner(s).
    var clauses: [[Int]] = []
    var call: MPICallState? {
      if case .inMPI(let call) = state.activity { call } else { nil }
    }
  }

  /// Every rank, ascending.
  let ranks: [Int]
  let nodes: [Int: Node]
  /// Ranks that can move now or once those they wait for do.
  let released: Set<Int>
  /// Blocked ranks that can never proceed, ascending.
  let stuck: [Int]

  init(_ states: [RankState]) {
    var byRank: [Int: RankState] = [:]
    for state in states { byRank[state.rank] = state }
    ranks = byRank.keys.sorted()
    let builder = ClauseBuilder(ranks: ranks, states: byRank)
    var nodes: [Int: Node] = [:]
    for (rank, state) in byRank { nodes[rank] = builder.node(rank, state) }
    self.nodes = nodes

    // Release whatever can move, then whoever has every clause met by a released rank, to a
    // fixpoint. Finished ranks are never released: an edge to one is never satisfied.
    var released = Set(ranks.filter { r in
      let node = nodes[r]!
      return node.status == .running || node.status == .undiagnosable
        || (node.status == .blocked && node.clauses.isEmpty)
    })
    var changed = true
    while changed {
      changed = false
      for r in ranks where !released.contains(r) && nodes[r]!.status == .blocked {
        if nodes[r]!.clauses.allSatisfy({ $0.contains(where: released.contains) }) {
          released.insert(r)
          changed = true
        }
      }
    }
    self.released = released
    stuck = ranks.filter { nodes[$0]!.status == .blocked && !released.contains($0) }
  }

  func state(_ rank: Int) -> RankState { nodes[rank]!.state }
  func call(_ rank: Int) -> MPICallState? { nodes[rank]?.call }
  func isFinished(_ rank: Int) -> Bool { nodes[rank]?.status == .finished }

  /// The clauses no released rank satisfies: why `rank` is stuck.
  func unsatisfied(_ rank: Int) -> [[Int]] {
    nodes[rank]!.clauses.filter { !$0.contains(where: released.contains) }
  }

  /// A cycle among the stuck ranks, rotated to start at its lowest rank; empty if their waits
  /// all end at finished ranks instead.
  func cycle() -> [Int] {
    let stuckSet = Set(stuck)
    func next(_ r: Int) -> Int? {
      unsatisfied(r).lazy.compactMap { $0.first(where: stuckSet.contains) }.first
    }
    for start in stuck {
      var path: [Int] = []
      var position: [Int: Int] = [:]
      var current: Int? = start
      while let r = current {
        if let i = position[r] {
          let cycle = Array(path[i...])
          let low = cycle.firstIndex(of: cycle.min()!)!
          return Array(cycle[low...] + cycle[..<low])
        }
        position[r] = path.count
        path.append(r)
        current = next(r)
      }
    }
    return []
  }

  var graph: WaitForGraph {
    var nodes: [WaitForGraph.Node] = []
    var edges: [WaitForGraph.Edge] = []
    for r in ranks {
      let node = self.nodes[r]!
      let state: WaitForGraph.Node.State =
        switch node.status {
        case .running: .running
        case .undiagnosable: .undiagnosable
        case .finished: .finished
        case .crashed: .crashed
        case .blocked: node.clauses.isEmpty ? .matched : released.contains(r) ? .waiting : .stuck
        }
      let call = node.call.map(DiagnosisText.call) ?? ""
      nodes.append(.init(rank: r, call: call, site: node.call?.site ?? "", state: state))
      for clause in node.clauses {
        for target in clause {
          edges.append(.init(from: r, to: target, kind: clause.count == 1 ? .and : .or))
        }
      }
    }
    return WaitForGraph(nodes: nodes, edges: edges)
  }
}
