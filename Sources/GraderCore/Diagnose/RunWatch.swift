import Foundation

/// Watches a running job through the probe's slots and says when it is stuck: every
/// live rank blocked, no progress counter moved for the stall window, and a wait-for
/// graph that does not reduce. Polled by the launcher, about every 50 ms.
final class RunWatch {
  let directory: URL
  let ranks: Int
  let stallWindow: Double
  private var lastProgress: [UInt64] = []
  private var lastChange = ProbeSlots.now()
  private var hostPIDs: [Int: pid_t] = [:]
  private var cpuSamples: [Int: (time: Double, ticks: UInt64)] = [:]
  private var busy: [Int: Bool] = [:]

  init(directory: URL, ranks: Int, stallWindow: Double) {
    self.directory = directory
    self.ranks = ranks
    self.stallWindow = stallWindow
  }

  /// What one look at the slots found.
  enum Observation: Equatable {
    case running
    /// Stuck for good: stop the run and report this.
    case stuck(Diagnosis)
    /// Every rank finished MPI and its process is gone: a job still running is held
    /// open by something the program left behind (a daemon keeping the output open).
    case ranksGone
  }

  func poll() -> Observation {
    let slots = ProbeSlots.read(directory: directory, ranks: ranks)
    if slots.allSatisfy({ $0?.state == .finalized || $0?.state == .exited }) {
      let alive = Set(runProcesses().keys)
      return slots.allSatisfy { !alive.contains($0!.pid) } ? .ranksGone : .running
    }
    let states = self.states(slots)
    let progress = states.map(\.progress)
    let now = ProbeSlots.now()
    if progress != lastProgress {
      lastProgress = progress
      lastChange = now
      return .running
    }
    guard now - lastChange >= stallWindow else { return .running }
    let blocked = states.allSatisfy {
      switch $0.activity {
      case .inMPI, .finalized, .exited, .crashed: true
      case .notStarted, .computing: false
      }
    }
    guard blocked, states.contains(where: { if case .inMPI = $0.activity { true } else { false } }) else { return .running }
    switch Diagnoser.diagnose(states) {
    case .progressing: return .running
    case let stuck: return .stuck(stuck)
    }
  }

  /// What each rank is doing now, for a timeout's explanation.
  func describe() -> String { Diagnoser.describe(states(ProbeSlots.read(directory: directory, ranks: ranks))) }

  func states(_ slots: [ProbeSlot?]) -> [RankState] {
    let now = ProbeSlots.now()
    return slots.enumerated().map { rank, slot in
      guard let slot else { return RankState(rank: rank, activity: .notStarted) }
      let since = max(0, now - (slot.call?.since ?? slot.started))
      switch slot.state {
      case .notStarted:
        return RankState(rank: rank, activity: .notStarted, since: now - slot.started)
      case .finalized:
        return RankState(rank: rank, activity: .finalized, progress: slot.progress, since: since)
      case .exited:
        return RankState(rank: rank, activity: .exited(status: slot.exitStatus.map(Int32.init)), progress: slot.progress, since: since)
      case .inMPI:
        guard let call = slot.call else { return RankState(rank: rank, activity: .notStarted) }
        if call.name == "MPI_Finalize" { return RankState(rank: rank, activity: .finalized, progress: slot.progress, since: since) }
        return RankState(rank: rank, activity: .inMPI(Self.state(of: call, pending: slot.pending)), progress: slot.progress, since: since)
      case .running:
        // Spinning on MPI_Improbe/Iprobe/Test waits for the same message a blocking
        // call would: judge it as one.
        if let polled = slot.polling, slot.polls > 1000, let blocking = Self.blockingEquivalent[polled.name] {
          var call = Self.state(of: polled, pending: slot.pending)
          call.name = blocking
          return RankState(rank: rank, activity: .inMPI(call), progress: slot.progress, since: max(0, now - polled.since))
        }
        let cpuBusy = isBusy(rank: rank, pid: slot.pid)
        return RankState(rank: rank, activity: .computing(cpuBusy: cpuBusy), progress: slot.progress, since: since)
      }
    }
  }

  static let blockingEquivalent = [
    "MPI_Improbe": "MPI_Mprobe", "MPI_Iprobe": "MPI_Probe", "MPI_Test": "MPI_Wait", "MPI_Testall": "MPI_Waitall",
    "MPI_Testany": "MPI_Waitany", "MPI_Testsome": "MPI_Waitsome",
  ]

  static func state(of call: MPICall, pending: [PendingRequest]) -> MPICallState {
    MPICallState(
      name: call.name, peer: peer(call.peer), tag: tag(call.tag), communicator: UInt32(truncatingIfNeeded: call.communicator),
      collectiveSequence: call.collectiveSequence ?? 0, root: call.root, bytes: Int(call.bytes), site: call.site,
      synchronous: call.strict || call.name == "MPI_Ssend", sendPeer: peer(call.sendPeer), sendTag: tag(call.sendTag),
      pending: pending.map {
        MPICallState.Request(
          $0.name == "MPI_Irecv" ? .receive : .send, peer: peer($0.peer), tag: tag($0.tag),
          communicator: UInt32(truncatingIfNeeded: $0.communicator), bytes: Int($0.bytes), waited: $0.waited)
      })
  }

  /// The probe writes MPI_ANY_TAG as -1; the diagnosis reads "any tag" as nil.
  static func tag(_ tag: Int?) -> Int? { tag == MPICall.anyTag ? nil : tag }

  static func peer(_ peer: MPICall.Peer?) -> MPICallState.Peer {
    switch peer {
    case .rank(let r): .rank(r)
    case .anySource: .anySource
    case .procNull, nil: .none
    }
  }

  /// Whether a rank outside MPI used a tenth of a core or more since the last look; the
  /// probe records PIDs as the rank sees them, inside the run's namespace.
  private func isBusy(rank: Int, pid: Int) -> Bool {
    guard let host = hostPID(rank: rank, namespacePID: pid), let ticks = Self.cpuTicks(host) else { return busy[rank] ?? false }
    let now = ProbeSlots.now()
    if let last = cpuSamples[rank], now - last.time >= 0.2 {
      let seconds = Double(ticks - min(ticks, last.ticks)) / Double(sysconf(Int32(_SC_CLK_TCK)))
      // A sleeping process uses next to nothing; a computing one gets a real share
      // of a core even on a loaded machine.
      busy[rank] = seconds / (now - last.time) > 0.1
      cpuSamples[rank] = (now, ticks)
    } else if cpuSamples[rank] == nil {
      cpuSamples[rank] = (now, ticks)
    }
    return busy[rank] ?? false
  }

  private func hostPID(rank: Int, namespacePID: Int) -> pid_t? {
    if let known = hostPIDs[rank] { return known }
    guard let pid = runProcesses()[namespacePID] else { return nil }
    hostPIDs[rank] = pid
    return pid
  }

  /// The run's live processes, as namespace PID → host PID.
  private func runProcesses() -> [Int: pid_t] {
    let marker = Array("HPCGRADE_RUN_DIR=\(directory.deletingLastPathComponent().path)".utf8)
    var found: [Int: pid_t] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = pid_t(entry),
        let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
        environ.split(separator: 0).contains(where: { $0.elementsEqual(marker) }),
        let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
        let inner = line.split(separator: "\t").last.flatMap({ Int($0) })
      else { continue }
      found[inner] = pid
    }
    return found
  }

  /// utime + stime of a process, in clock ticks.
  static func cpuTicks(_ pid: pid_t) -> UInt64? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
    return user + system
  }
}
