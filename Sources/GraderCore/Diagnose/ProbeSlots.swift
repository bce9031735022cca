import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// What the probe last recorded about one rank (`Sources/MPIProbe/probe.h`).
public struct ProbeSlot: Sendable, Equatable {
  public enum State: Int32, Sendable {
    /// The slot file exists but the probe has not written it yet.
    case notStarted = 0
    /// Outside MPI: computing, sleeping, or polling with Test/Iprobe (see `polling`).
    case running = 1
    /// Inside `call` (which may be MPI_Init or MPI_Finalize).
    case inMPI = 2
    case finalized = 3
    /// Called exit() without MPI_Finalize. A rank killed by a signal keeps its last state.
    case exited = 4
  }

  public var rank: Int
  public var worldSize: Int
  /// As the rank saw it: inside the run's PID namespace.
  public var pid: Int
  public var host: String
  /// CPUs the rank may run on, e.g. "0-1".
  public var affinity: String
  public var state: State
  /// MPI calls completed: blocking calls, and tests and probes that succeeded.
  public var progress: UInt64
  /// The call in progress when `state == .inMPI`; otherwise the last blocking call made.
  public var call: MPICall?
  /// The last unsuccessful Test/Iprobe/Improbe, with `since` the first one since the
  /// last progress; nil when the rank has made progress since.
  public var polling: MPICall?
  /// Unsuccessful polls since the last progress.
  public var polls: UInt64
  /// Isend/Irecv posted and not yet seen to complete.
  public var pending: [PendingRequest]
  /// Status passed to exit(), or MPI_Abort's error code.
  public var exitStatus: Int?
  /// MPI_THREAD_* the rank got from MPI_Init.
  public var threadLevel: Int
  /// When the probe started watching the rank (`ProbeSlots.now()` clock).
  public var started: Double
  /// The file that called MPI_Init and its load address: `address - imageBase` is an
  /// offset for `addr2line -e image`.
  public var image: String
  public var imageBase: UInt64
}

/// One MPI call as the probe recorded it.
public struct MPICall: Sendable, Equatable {
  public enum Peer: Sendable, Equatable, CustomStringConvertible {
    /// A world rank, translated from the call's communicator.
    case rank(Int)
    case anySource
    case procNull

    public var description: String {
      switch self {
      case .rank(let rank): "rank \(rank)"
      case .anySource: "any source"
      case .procNull: "MPI_PROC_NULL"
      }
    }
  }

  /// `tag` of a receive from any tag.
  public static let anyTag = -1

  /// "MPI_Send", "MPI_Barrier", …
  public var name: String
  /// Source or destination; for waits and tests, that of the first request waited on.
  public var peer: Peer?
  /// nil when the call has none; `MPICall.anyTag` for MPI_ANY_TAG.
  public var tag: Int?
  /// 0 for MPI_COMM_WORLD; others numbered 1, 2, … by each rank in order of first use.
  public var communicator: Int
  /// Collectives: 1 for the first collective on `communicator`, 2 for the next, …
  public var collectiveSequence: UInt64?
  /// This rank's buffer: count × type size (send side for sends).
  public var bytes: UInt64
  /// Rooted collectives: the root's world rank.
  public var root: Int?
  /// When the call started (`ProbeSlots.now()` clock, read to the kernel tick of a
  /// few ms because a precise read would double the probe's cost per call).
  public var since: Double
  /// "main.swift:14" from a Swift program, "0x…" (the return address) from a C one.
  public var site: String
  /// The return address, when the program could not name its call site.
  public var address: UInt64?
  /// An MPI_Send the probe turned into MPI_Ssend (`HPCGRADE_STRICT_SENDS=1`).
  public var strict: Bool
  /// MPI_Sendrecv's send side (`peer` and `tag` are its receive side).
  public var sendPeer: Peer?
  public var sendTag: Int?
  /// Requests passed to a wait or test.
  public var requests: Int
}

/// A nonblocking send or receive posted and not yet completed.
public struct PendingRequest: Sendable, Equatable {
  /// "MPI_Isend", "MPI_Issend" or "MPI_Irecv".
  public var name: String
  public var peer: MPICall.Peer?
  public var tag: Int?
  public var communicator: Int
  public var bytes: UInt64
  /// Named in the blocking wait (MPI_Wait, _Waitall, …) in progress.
  public var waited: Bool
}

/// Reads the slots the probe keeps in `HPCGRADE_PROBE_DIR`, while the ranks run.
public enum ProbeSlots {
  /// Every rank's slot, by world rank: nil when the rank has no slot file (it never
  /// reached MPI_Init, or the probe was not loaded) or it could not be read
  /// consistently (wrong layout version, or the rank died while writing it).
  public static func read(directory: URL, ranks: Int) -> [ProbeSlot?] {
    (0..<ranks).map { read(file: directory.appendingPathComponent("rank.\($0)"), rank: $0) }
  }

  /// The probe's clock (CLOCK_MONOTONIC, seconds): `now() - call.since` is how long
  /// a rank has been in its call.
  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  static func read(file: URL, rank: Int) -> ProbeSlot? {
    let fd = open(file.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    // Created but not yet sized: mapping it would fault.
    guard info.st_size >= ProbeLayout.slotSize else { return .notStarted(rank: rank) }
    guard let map = mmap(nil, ProbeLayout.slotSize, PROT_READ, MAP_SHARED, fd, 0),
      map != UnsafeMutableRawPointer(bitPattern: -1)
    else {
      return nil
    }
    defer { munmap(map, ProbeLayout.slotSize) }
    guard let bytes = consistentCopy(of: UnsafeRawPointer(map)) else { return nil }
    return ProbeLayout.decode(bytes, rank: rank)
  }

  /// Seqlock reader: copies the slot until `seq` is even and unchanged across the
  /// copy. The probe's write windows are a few stores long, so a retry is rare; a
  /// rank killed inside one leaves `seq` odd for good, hence the bound.
  static func consistentCopy(of slot: UnsafeRawPointer, tries: Int = 200) -> [UInt8]? {
    var copy = [UInt8](repeating: 0, count: ProbeLayout.slotSize)
    for attempt in 0..<tries {
      if attempt > 0 { usleep(50) }
      let before = slot.load(fromByteOffset: ProbeLayout.seq, as: UInt64.self)
      acquireFence()
      guard before & 1 == 0 else { continue }
      copy.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: slot, byteCount: ProbeLayout.slotSize) }
      acquireFence()
      let after = slot.load(fromByteOffset: ProbeLayout.seq, as: UInt64.self)
      if before == after { return copy }
    }
    return nil
  }
}

/// Keeps the copy's loads between the two reads of `seq` (the probe's release
/// fences pair with it).
@inline(__always) private func acquireFence() {
  // Always true on Linux, where the grader runs; older macOS only builds the package.
  if #available(macOS 15, *) { atomicMemoryFence(ordering: .acquiring) }
}

extension ProbeSlot {
  static func notStarted(rank: Int) -> ProbeSlot {
    ProbeSlot(
      rank: rank, worldSize: 0, pid: 0, host: "", affinity: "", state: .notStarted, progress: 0, call: nil,
      polling: nil, polls: 0, pending: [], exitStatus: nil, threadLevel: 0, started: 0, image: "", imageBase: 0)
  }
}

/// The slot layout of `Sources/MPIProbe/probe.h`, offset by offset. `ProbeSlotsTests`
/// compiles the header and checks every number here against `offsetof`.
enum ProbeLayout {
  static let magic: UInt64 = 0x4850_4347_524f_4245
  static let version: UInt32 = 1
  static let slotSize = 4096
  static let (magicOffset, versionOffset, seq, rank, worldSize, pid, state) = (0, 8, 16, 24, 28, 32, 36)
  static let (exitStatus, threadLevel, progress, polls, started, imageBase) = (40, 44, 48, 56, 64, 72)
  static let (npending, host, affinity, image, call, poll, pending) = (84, 96, 160, 288, 544, 736, 928)
  static let (hostLength, affinityLength, imageLength, maxPending) = (64, 128, 256, 32)
  /// Within a call record.
  enum Call {
    static let (call, flags, peer, tag, root, comm, collSeq, bytes) = (0, 4, 8, 12, 16, 20, 24, 32)
    static let (since, address, sendPeer, sendTag, requests, site) = (40, 48, 56, 60, 64, 72)
    static let (size, siteLength) = (192, 120)
  }
  /// Within a pending-request record.
  enum Request {
    static let (handle, peer, tag, comm, call, flags, bytes, size) = (0, 8, 12, 16, 20, 22, 24, 32)
  }
  static let (peerAny, peerNone, peerNull, tagNone) = (-1, -2, -3, -2)
  static let (flagStrict, flagAddress, flagCollective): (UInt32, UInt32, UInt32) = (1, 2, 4)
  static let (pendingWaited, pendingTested): (UInt16, UInt16) = (1, 2)

  /// Call names by id, as HPCGRADE_PROBE_CALLS numbers them.
  static let callNames = [
    "", "MPI_Init", "MPI_Init_thread", "MPI_Finalize", "MPI_Send", "MPI_Ssend", "MPI_Recv", "MPI_Sendrecv",
    "MPI_Probe", "MPI_Mprobe", "MPI_Mrecv", "MPI_Wait", "MPI_Waitall", "MPI_Waitany", "MPI_Waitsome",
    "MPI_Barrier", "MPI_Bcast", "MPI_Scatter", "MPI_Scatterv", "MPI_Gather", "MPI_Gatherv", "MPI_Allgather",
    "MPI_Allgatherv", "MPI_Reduce", "MPI_Allreduce", "MPI_Alltoall", "MPI_Test", "MPI_Testany", "MPI_Testall",
    "MPI_Testsome", "MPI_Iprobe", "MPI_Improbe", "MPI_Isend", "MPI_Irecv", "MPI_Issend", "MPI_Abort",
  ]

  /// Every number above by the name the layout test's C program prints it under.
  static var constants: [String: Int] {
    var all: [String: Int] = [
      "magic": Int(bitPattern: UInt(magic)), "version": Int(version), "slot.size": slotSize,
      "slot.magic": magicOffset, "slot.version": versionOffset, "slot.seq": seq, "slot.rank": rank,
      "slot.world_size": worldSize, "slot.pid": pid, "slot.state": state, "slot.exit_status": exitStatus,
      "slot.thread_level": threadLevel, "slot.progress": progress, "slot.polls": polls, "slot.started": started,
      "slot.image_base": imageBase, "slot.npending": npending, "slot.host": host, "slot.affinity": affinity,
      "slot.image": image, "slot.call": call, "slot.poll": poll, "slot.pending": pending,
      "len.host": hostLength, "len.affinity": affinityLength, "len.image": imageLength, "len.pending": maxPending,
      "call.call": Call.call, "call.flags": Call.flags, "call.peer": Call.peer, "call.tag": Call.tag,
      "call.root": Call.root, "call.comm": Call.comm, "call.coll_seq": Call.collSeq, "call.bytes": Call.bytes,
      "call.since": Call.since, "call.address": Call.address, "call.send_peer": Call.sendPeer,
      "call.send_tag": Call.sendTag, "call.requests": Call.requests, "call.site": Call.site,
      "call.size": Call.size, "len.site": Call.siteLength,
      "request.handle": Request.handle, "request.peer": Request.peer, "request.tag": Request.tag,
      "request.comm": Request.comm, "request.call": Request.call, "request.flags": Request.flags,
      "request.bytes": Request.bytes, "request.size": Request.size,
      "peer.any": peerAny, "peer.none": peerNone, "peer.null": peerNull, "tag.none": tagNone,
      "flag.strict": Int(flagStrict), "flag.address": Int(flagAddress), "flag.collective": Int(flagCollective),
      "pending.waited": Int(pendingWaited), "pending.tested": Int(pendingTested), "calls.count": callNames.count,
    ]
    for state in [ProbeSlot.State.notStarted, .running, .inMPI, .finalized, .exited] {
      all["state.\(state)"] = Int(state.rawValue)
    }
    return all
  }

  static func decode(_ bytes: [UInt8], rank: Int) -> ProbeSlot? {
    bytes.withUnsafeBytes { raw in
      func int(_ offset: Int) -> Int { Int(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)) }
      func u64(_ offset: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
      func double(_ offset: Int) -> Double { raw.loadUnaligned(fromByteOffset: offset, as: Double.self) }
      func text(_ offset: Int, _ length: Int) -> String {
        let field = raw[offset..<offset + length]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
      }
      func peer(_ value: Int) -> MPICall.Peer? {
        switch value {
        case peerAny: .anySource
        case peerNull: .procNull
        case let rank where rank >= 0: .rank(rank)
        default: nil
        }
      }
      func tag(_ value: Int) -> Int? { value == tagNone ? nil : value }
      func call(at base: Int) -> MPICall? {
        let id = int(base + Call.call)
        guard id > 0, id < callNames.count else { return nil }
        let flags = raw.loadUnaligned(fromByteOffset: base + Call.flags, as: UInt32.self)
        let address = flags & flagAddress != 0 ? u64(base + Call.address) : nil
        return MPICall(
          name: callNames[id], peer: peer(int(base + Call.peer)), tag: tag(int(base + Call.tag)),
          communicator: Int(raw.loadUnaligned(fromByteOffset: base + Call.comm, as: UInt32.self)),
          collectiveSequence: flags & flagCollective != 0 ? u64(base + Call.collSeq) : nil,
          bytes: u64(base + Call.bytes), root: peer(int(base + Call.root)).flatMap { if case .rank(let r) = $0 { r } else { nil } },
          since: double(base + Call.since),
          site: address.map { "0x" + String($0, radix: 16) } ?? text(base + Call.site, Call.siteLength),
          address: address, strict: flags & flagStrict != 0,
          sendPeer: peer(int(base + Call.sendPeer)), sendTag: tag(int(base + Call.sendTag)),
          requests: int(base + Call.requests))
      }

      let found = u64(magicOffset)
      if found == 0 { return .notStarted(rank: rank) }
      guard found == magic, raw.loadUnaligned(fromByteOffset: versionOffset, as: UInt32.self) == version,
        let state = ProbeSlot.State(rawValue: Int32(int(self.state)))
      else { return nil }
      let count = min(Int(raw.loadUnaligned(fromByteOffset: npending, as: UInt32.self)), maxPending)
      let pending = (0..<count).compactMap { index -> PendingRequest? in
        let base = self.pending + index * Request.size
        let id = Int(raw.loadUnaligned(fromByteOffset: base + Request.call, as: UInt16.self))
        guard u64(base + Request.handle) != 0, id < callNames.count else { return nil }
        return PendingRequest(
          name: callNames[id], peer: peer(int(base + Request.peer)), tag: tag(int(base + Request.tag)),
          communicator: Int(raw.loadUnaligned(fromByteOffset: base + Request.comm, as: UInt32.self)),
          bytes: u64(base + Request.bytes),
          waited: raw.loadUnaligned(fromByteOffset: base + Request.flags, as: UInt16.self) & pendingWaited != 0)
      }
      let polls = u64(self.polls)
      let exit = int(exitStatus)
      return ProbeSlot(
        rank: int(self.rank), worldSize: int(worldSize), pid: int(pid), host: text(host, hostLength),
        affinity: text(affinity, affinityLength), state: state, progress: u64(progress),
        call: call(at: self.call), polling: polls > 0 ? call(at: poll) : nil, polls: polls, pending: pending,
        exitStatus: exit >= 0 ? exit : nil, threadLevel: int(threadLevel), started: double(started),
        image: text(image, imageLength), imageBase: u64(imageBase))
    }
  }
}
