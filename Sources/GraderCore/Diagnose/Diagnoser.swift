import Foundation

/// Decides, from one snapshot of every rank, why a run is not finishing.
///
/// Pure logic: the launcher decides *when* to ask (every live rank blocked and no progress for
/// the stall window) and acts on deadlock/missingPartner/collectiveMismatch. A partial deadlock
/// counts: two ranks stuck on each other stay stuck whatever a third rank computes.
public enum Diagnoser {
  public static func diagnose(_ ranks: [RankState]) -> Diagnosis {
    if let (rank, signal) = rootCrash(ranks) { return .crash(rank: rank, signal: signal) }
    let analysis = WaitAnalysis(ranks)
    if analysis.stuck.isEmpty { return .progressing }
    // The most specific cause first: a mismatched collective or a finished partner explains a
    // stall better than the cycle it induces.
    if let mismatch = collectiveMismatch(analysis) { return .collectiveMismatch(mismatch) }
    if let missing = missingPartner(analysis) { return .missingPartner(missing) }
    return .deadlock(deadlock(analysis))
  }

  /// For a timeout that is not a deadlock: one line per rank, e.g.
  /// `rank 0: in MPI_Barrier #2 at main.swift:20 since 12.0 s, waits for rank 1 (running, outside MPI)`
  /// `rank 1: computing (outside MPI, CPU busy) for 12.0 s`.
  public static func describe(_ ranks: [RankState]) -> String {
    let analysis = WaitAnalysis(ranks)
    return analysis.ranks.map { r in
      let node = analysis.nodes[r]!
      let line = "rank \(r): \(DiagnosisText.activity(node.state))"
      guard node.status == .blocked, !node.clauses.isEmpty else { return line }
      return line + ", " + DiagnosisText.waits(for: node.clauses) { DiagnosisText.state(analysis.state($0)) }
    }.joined(separator: "\n")
  }

  /// Explanation lines beyond the cycle, so a long ring stays one readable paragraph.
  static let waitLimit = 16

  /// The crash that started it: mpirun's SIGTERM/SIGKILL of the others comes after, and the
  /// first crash has lasted longest.
  private static func rootCrash(_ ranks: [RankState]) -> (Int, Int32)? {
    let crashes = ranks.compactMap { s -> (rank: Int, signal: Int32, since: Double)? in
      if case .crashed(let signal) = s.activity { (s.rank, signal, s.since) } else { nil }
    }
    func key(_ c: (rank: Int, signal: Int32, since: Double)) -> (Int, Double, Int) {
      ([9, 15].contains(c.signal) ? 1 : 0, -c.since, c.rank)
    }
    return crashes.min { key($0) < key($1) }.map { ($0.rank, $0.signal) }
  }

  private static func deadlock(_ a: WaitAnalysis) -> Deadlock {
    let cycle = a.cycle()
    let order = cycle + a.stuck.filter { !cycle.contains($0) }
    let stuck = Set(a.stuck)
    var items = order.prefix(max(cycle.count, waitLimit)).map { r in
      "rank \(r) in \(DiagnosisText.callAt(a.call(r)!)) "
        + DiagnosisText.waits(for: a.unsatisfied(r)) { stuck.contains($0) ? nil : DiagnosisText.state(a.state($0)) }
    }
    let shown = items.count
    if order.count > shown { items.append("and \(order.count - shown) more ranks blocked") }
    items += nearMisses(a)
    return Deadlock(
      cycle: cycle, ranks: a.stuck, explanation: "deadlock: " + items.joined(separator: "; "), graph: a.graph)
  }

  /// A send and a receive between the same two stuck ranks that miss only by tag or communicator:
  /// the likeliest typo, so say it outright.
  private static func nearMisses(_ a: WaitAnalysis) -> [String] {
    let stuck = Set(a.stuck)
    var notes: [String] = []
    for r in a.stuck {
      for send in a.call(r)!.awaited where send.isSend {
        guard case .rank(let d) = send.peer, stuck.contains(d) else { continue }
        let receives = a.call(d)!.outstanding.filter { !$0.isSend && ($0.peer == .rank(r) || $0.peer == .anySource) }
        guard let receive = receives.first, !receives.contains(where: { Transfer.match(send: send, by: r, receive: $0, by: d) })
        else { continue }
        if send.communicator != receive.communicator {
          notes.append("rank \(r) sends on communicator \(send.communicator) but rank \(d) receives on communicator "
            + "\(receive.communicator), so they never match")
        } else if let sent = send.tag, let wanted = receive.tag {
          notes.append("rank \(r) sends tag \(sent) but rank \(d) receives tag \(wanted), so they never match")
        }
      }
    }
    return notes
  }

  private static func missingPartner(_ a: WaitAnalysis) -> MissingPartner? {
    var waiting: [Int] = []
    var finished = Set<Int>()
    var items: [String] = []
    for r in a.stuck {
      let dead = a.unsatisfied(r).filter { $0.allSatisfy(a.isFinished) }
      guard !dead.isEmpty else { continue }
      let targets = Set(dead.joined()).sorted()
      waiting.append(r)
      finished.formUnion(targets)
      let states =
        targets.count == 1
        ? "already finished (\(DiagnosisText.state(a.state(targets[0]))))"
        : "all already finished (" + targets.map { "rank \($0) \(DiagnosisText.state(a.state($0)))" }
          .joined(separator: ", ") + ")"
      items.append("rank \(r) in \(DiagnosisText.callAt(a.call(r)!)) \(DiagnosisText.waits(for: dead)), which \(states)")
    }
    guard !waiting.isEmpty else { return nil }
    return MissingPartner(
      waiting: waiting, finished: finished.sorted(),
      explanation: "missing partner: " + items.joined(separator: "; "), graph: a.graph)
  }

  /// Stuck ranks of one communicator in different collective instances, grouped by instance.
  private static func collectiveMismatch(_ a: WaitAnalysis) -> CollectiveMismatch? {
    let stuck = Set(a.stuck)
    for r in a.stuck {
      guard let call = a.call(r), call.kind == .collective else { continue }
      var groups: [(call: MPICallState, ranks: [Int])] = []
      for m in call.members ?? a.ranks {
        guard stuck.contains(m), let other = a.call(m), other.kind == .collective,
          other.communicator == call.communicator
        else { continue }
        if let i = groups.firstIndex(where: { $0.call.sameCollective(as: other) }) {
          groups[i].ranks.append(m)
        } else {
          groups.append((other, [m]))
        }
      }
      guard groups.count > 1 else { continue }
      // The odd one out first; equal groups in rank order.
      groups = groups.map { ($0.call, $0.ranks.sorted()) }
        .sorted { ($0.ranks.count, $0.ranks[0]) < ($1.ranks.count, $1.ranks[0]) }
      let phrases = groups.map { "\(DiagnosisText.ranks($0.ranks)) in \(DiagnosisText.callAt($0.call))" }
      let (x, y) = (groups[0].call, groups[1].call)
      let reason =
        x.name != y.name ? "different collectives"
        : x.root != y.root ? "different roots"
        : "the ranks made different numbers of collective calls before this one"
      let explanation =
        "collective mismatch: \(phrases[0]) but \(phrases.dropFirst().joined(separator: " and ")) (\(reason))"
      return CollectiveMismatch(
        communicator: call.communicator, groups: groups.map(\.ranks), explanation: explanation, graph: a.graph)
    }
    return nil
  }
}
