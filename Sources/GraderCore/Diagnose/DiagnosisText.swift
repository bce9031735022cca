import Foundation

/// The wording of diagnoses, shared by explanations, `describe` and the graph's nodes.
enum DiagnosisText {
  /// Decimal units (1 KB = 1,000 B, 1 MB = 1,000,000 B), like MPI message sizes in prose:
  /// `8 B`, `1.5 KB`, `8 MB`, `8.4 MB` (8 MiB), `12 MB`. One decimal below 10, `.0` dropped.
  static func bytes(_ count: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(max(count, 0))
    var unit = 0
    // Move up at 999.5, not 1000, so rounding never prints `1000 KB`.
    while value >= 999.5 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(Int(value)) B" }
    var text = String(format: value < 9.95 ? "%.1f" : "%.0f", value)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return "\(text) \(units[unit])"
  }

  /// `12.0 s`
  static func seconds(_ s: Double) -> String { String(format: "%.1f s", s) }

  /// `rank 1` or `ranks 1, 2`.
  static func ranks(_ list: [Int]) -> String {
    (list.count == 1 ? "rank " : "ranks ") + list.map(String.init).joined(separator: ", ")
  }

  /// `MPI_Send(to 1, tag 0, 8 MB)`, `MPI_Recv(from any, any tag)`, `MPI_Bcast(root 0) #3`.
  static func call(_ c: MPICallState) -> String {
    let comm = c.communicator == 0 ? [] : ["comm \(c.communicator)"]
    func to(_ p: MPICallState.Peer) -> String {
      switch p {
      case .rank(let r): "to \(r)"
      case .anySource: "to ?"
      case .none: "to MPI_PROC_NULL"
      }
    }
    func from(_ p: MPICallState.Peer) -> String {
      switch p {
      case .rank(let r): "from \(r)"
      case .anySource: "from any"
      case .none: "from MPI_PROC_NULL"
      }
    }
    // A send's tag is never a wildcard: nil means the probe didn't say, so leave it out.
    func sendArgs(_ p: MPICallState.Peer, _ tag: Int?, _ size: Int) -> [String] {
      [to(p)] + (tag.map { ["tag \($0)"] } ?? []) + [bytes(size)]
    }
    func receiveArgs(_ p: MPICallState.Peer, _ tag: Int?) -> [String] {
      [from(p), tag.map { "tag \($0)" } ?? "any tag"]
    }
    func wrap(_ args: [String]) -> String { args.isEmpty ? c.name : "\(c.name)(\(args.joined(separator: ", ")))" }

    switch c.kind {
    case .send: return wrap(sendArgs(c.peer, c.tag, c.bytes) + comm)
    case .receive: return wrap(receiveArgs(c.peer, c.tag) + comm)
    case .sendReceive:
      let halves = [sendArgs(c.sendPeer, c.sendTag, c.bytes), receiveArgs(c.peer, c.tag)]
      return "\(c.name)(\(halves.map { $0.joined(separator: ", ") }.joined(separator: "; "))"
        + "\(comm.map { ", \($0)" }.joined()))"
    case .collective: return wrap((c.root.map { ["root \($0)"] } ?? []) + comm) + " #\(c.collectiveSequence)"
    case .waitAll, .waitAny:
      // A few requests spelled out (`MPI_Wait(Irecv from 1, tag 0)`); a halo exchange's eight counted.
      let waited = c.pending.filter(\.waited)
      let requests = waited.map { r in
        (r.direction == .send ? ["Isend " + to(r.peer)] + (r.tag.map { ["tag \($0)"] } ?? []) + [bytes(r.bytes)]
          : ["Irecv " + from(r.peer), r.tag.map { "tag \($0)" } ?? "any tag"]
        ).joined(separator: ", ")
      }
      return wrap(requests.count > 3 ? ["\(requests.count) requests"] : requests.isEmpty ? [] : [requests.joined(separator: "; ")])
    case .finalize, .other: return c.name
    }
  }

  /// `MPI_Recv(from 1, tag 0) at main.swift:9`
  static func callAt(_ c: MPICallState) -> String {
    c.site.isEmpty ? call(c) : "\(call(c)) at \(c.site)"
  }

  /// A rank's state as a parenthetical: `running, outside MPI`, `exited with status 0`.
  static func state(_ s: RankState) -> String {
    switch s.activity {
    case .notStarted: "not started"
    case .computing(let busy): busy ? "running, outside MPI" : "sleeping, outside MPI"
    case .inMPI(let c): c.kind == .finalize ? "called MPI_Finalize" : "in \(c.name)"
    case .finalized: "called MPI_Finalize"
    case .exited(let status): status.map { "exited with status \($0)" } ?? "exited"
    case .crashed(let signal): "killed by signal \(self.signal(signal))"
    }
  }

  /// A rank's state as `describe` shows it.
  static func activity(_ s: RankState) -> String {
    switch s.activity {
    case .notStarted: "not started for \(seconds(s.since))"
    case .computing(let busy):
      (busy ? "computing (outside MPI, CPU busy)" : "sleeping (outside MPI, idle)") + " for \(seconds(s.since))"
    case .inMPI(let c): "in \(callAt(c)) since \(seconds(s.since))"
    case .finalized, .exited, .crashed: state(s)
    }
  }

  /// `waits for rank 1`, `waits for ranks 1, 2`, `waits for any of ranks 1, 2`, joined by `and`;
  /// `note` adds a parenthetical after a rank.
  static func waits(for clauses: [[Int]], note: (Int) -> String? = { _ in nil }) -> String {
    func named(_ r: Int) -> String { note(r).map { "\(r) (\($0))" } ?? "\(r)" }
    let all = Set(clauses.filter { $0.count == 1 }.map { $0[0] }).sorted()
    var parts: [String] = []
    if !all.isEmpty { parts.append((all.count == 1 ? "rank " : "ranks ") + all.map(named).joined(separator: ", ")) }
    for clause in clauses where clause.count > 1 {
      parts.append("any of ranks " + clause.map(named).joined(separator: ", "))
    }
    return "waits for " + parts.joined(separator: " and ")
  }

  /// `11 (SIGSEGV)`
  static func signal(_ number: Int32) -> String {
    let names: [Int32: String] = [
      1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
      8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM",
    ]
    return names[number].map { "\(number) (\($0))" } ?? "\(number)"
  }

  static func crash(rank: Int, signal number: Int32) -> String {
    let hint: String =
      switch number {
      case 4, 5: ", a Swift runtime trap: index out of range, unwrapping nil, integer overflow or fatalError"
      case 7, 11: ", an invalid memory access (an unsafe pointer, or a buffer smaller than the MPI call was told)"
      case 6: ", an abort (a failed precondition or an MPI error)"
      default: ""
      }
    return "crash: rank \(rank) was killed by signal \(signal(number))\(hint)"
  }
}
