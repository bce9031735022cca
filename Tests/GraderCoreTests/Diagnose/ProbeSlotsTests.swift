import Foundation
import Testing
import TestSupport

@testable import GraderCore

/// The MPI probe, preloaded into real `mpirun` jobs of small C programs, read back
/// through `ProbeSlots` while the ranks run. Serialized: each job keeps both cores busy.
@Suite(.serialized) struct ProbeSlotsTests {
  /// A fresh folder per test process, so the probe is really compiled; earlier
  /// processes' folders (an hour old) are removed, as tests have no suite teardown.
  static let scratch: URL = {
    let fm = FileManager.default
    let tmp = fm.temporaryDirectory
    for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("hpcgrade-probe-") {
      let old = tmp.appendingPathComponent(name)
      if let date = try? old.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
        date < Date().addingTimeInterval(-3600)
      {
        try? fm.removeItem(at: old)
      }
    }
    return tmp.appendingPathComponent("hpcgrade-probe-\(UUID().uuidString)")
  }()

  static let library: Result<URL, Error> = Result {
    try ProbeLibrary.ensure(
      sources: MPIPrograms.packageRoot.appendingPathComponent("Sources"),
      cache: scratch.appendingPathComponent("cache"), toolchain: MPIPrograms.toolchain.get())
  }

  /// Compiles `body` as the rest of a C `main` that starts with MPI_Init and knows
  /// its `rank`. With `site`, the program exports `hpcgrade_mpi_call_site` returning
  /// a call-site record that `set_site(file, line)` fills, as the Swift MPI module does.
  static func compile(_ name: String, _ body: String, site: Bool = false) throws -> URL {
    let dir = scratch.appendingPathComponent("programs")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("\(name).c")
    let siteFunction = site
      ? """
        static struct { const char *file_id; long line; } site_record;
        static void set_site(const char *file, long line) { site_record.file_id = file; site_record.line = line; }
        void *hpcgrade_mpi_call_site(void) { return &site_record; }

        """ : ""
    let source = """
      #include <mpi.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <unistd.h>
      \(siteFunction)int main(int argc, char **argv) {
        int rank; MPI_Init(&argc, &argv); MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      \(body)
      }
      """
    try source.write(to: file, atomically: true, encoding: .utf8)
    let binary = dir.appendingPathComponent(name)
    let link = site ? ["-Wl,--export-dynamic-symbol=hpcgrade_mpi_call_site"] : []
    let result = try Command.run(["mpicc", "-O2", "-o", binary.path, file.path] + link)
    guard result.status == 0 else { throw ProgramError.compileFailed(result.stderr) }
    return binary
  }

  /// Send, then receive, `argv[1]` bytes with the other rank: deadlocks above the eager limit.
  static let exchange = """
      int n = atoi(argv[1]); char *out = calloc(n, 1), *in = calloc(n, 1);
      MPI_Send(out, n, MPI_BYTE, 1 - rank, 5, MPI_COMM_WORLD);
      MPI_Recv(in, n, MPI_BYTE, 1 - rank, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Finalize(); return 0;
    """

  /// Both ranks in `name` for more than half a second.
  static func bothIn(_ name: String) -> ([ProbeSlot?]) -> Bool {
    { $0.allSatisfy { $0?.call?.name == name && $0?.state == .inMPI && ProbeSlots.now() - $0!.call!.since > 0.5 } }
  }

  @Test func sendSendDeadlockShowsBothRanksInSend() throws {
    let job = try ProbeJob(Self.compile("exchange", Self.exchange), arguments: ["\(8 << 20)"])
    defer { job.kill() }
    let slots = try job.wait(until: Self.bothIn("MPI_Send"))
    for rank in 0..<2 {
      let slot = try #require(slots[rank])
      #expect(slot.rank == rank && slot.worldSize == 2 && slot.pid > 0 && !slot.host.isEmpty && !slot.affinity.isEmpty)
      #expect(slot.image.hasSuffix("/exchange") && slot.imageBase != 0)
      #expect(slot.progress == 1, "only MPI_Init completed")
      let call = try #require(slot.call)
      #expect(call.peer == .rank(1 - rank) && call.tag == 5 && call.bytes == 8 << 20 && !call.strict)
      #expect(call.communicator == 0 && call.collectiveSequence == nil && call.root == nil)
      // A C program names no call site: the probe keeps the return address.
      let address = try #require(call.address)
      #expect(call.site == "0x" + String(address, radix: 16))
    }
    job.kill()
    #expect(job.survivors().isEmpty, "ranks survived the kill")
  }

  @Test func pingPongsCountAsProgressAndFinalizeIsRecorded() throws {
    let binary = try Self.compile(
      "pingpong",
      """
        double x = 0; MPI_Request r[2]; int other = 1 - rank;
        for (int i = 0; i < 2000; i++)
          if (i % 2 == rank) MPI_Send(&x, 1, MPI_DOUBLE, other, 0, MPI_COMM_WORLD);
          else MPI_Recv(&x, 1, MPI_DOUBLE, other, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Irecv(&x, 1, MPI_DOUBLE, other, 1, MPI_COMM_WORLD, &r[0]);
        MPI_Isend(&x, 1, MPI_DOUBLE, other, 1, MPI_COMM_WORLD, &r[1]);
        MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
        MPI_Finalize(); return 3;
      """)
    let job = try ProbeJob(binary)
    defer { job.kill() }
    #expect(job.waitForExit(timeout: 60) == 3)
    for slot in ProbeSlots.read(directory: job.slots, ranks: 2) {
      let slot = try #require(slot)
      #expect(slot.progress >= 2000 && slot.state == .finalized && slot.call?.name == "MPI_Finalize")
      #expect(slot.exitStatus == 3)
      #expect(slot.pending.isEmpty, "the Waitall completed both requests")
    }
  }

  @Test func skippedBarrierShowsOneRankWaitingAndOneRunning() throws {
    let binary = try Self.compile(
      "barrier",
      """
        int x = 1;
        set_site("tests/barrier.c", 9); MPI_Bcast(&x, 1, MPI_INT, 1, MPI_COMM_WORLD);
        set_site("tests/barrier.c", 11);
        if (rank == 0) MPI_Barrier(MPI_COMM_WORLD); else for (;;) sleep(1);
        MPI_Finalize(); return 0;
      """, site: true)
    let job = try ProbeJob(binary)
    defer { job.kill() }
    let slots = try job.wait(until: {
      $0[0]?.call?.name == "MPI_Barrier" && $0[1]?.call?.name == "MPI_Bcast" && ProbeSlots.now() - $0[0]!.call!.since > 0.5
    })
    let waiting = try #require(slots[0]?.call)
    #expect(slots[0]?.state == .inMPI && waiting.collectiveSequence == 2 && waiting.communicator == 0)
    #expect(waiting.root == nil && waiting.site == "barrier.c:11" && waiting.address == nil)
    let sleeping = try #require(slots[1])
    #expect(sleeping.state == .running && sleeping.call?.collectiveSequence == 1 && sleeping.call?.root == 1)
    #expect(sleeping.call?.bytes == 4 && sleeping.call?.site == "barrier.c:9")
  }

  @Test func waitallOnReceivesNobodySendsListsThem() throws {
    let binary = try Self.compile(
      "waitall",
      """
        int a, b; MPI_Request r[2];
        MPI_Irecv(&a, 1, MPI_INT, 1 - rank, 7, MPI_COMM_WORLD, &r[0]);
        MPI_Irecv(&b, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &r[1]);
        MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
        MPI_Finalize(); return 0;
      """)
    let job = try ProbeJob(binary)
    defer { job.kill() }
    let slots = try job.wait(until: Self.bothIn("MPI_Waitall"))
    for rank in 0..<2 {
      let slot = try #require(slots[rank])
      #expect(slot.call?.peer == .rank(1 - rank) && slot.call?.tag == 7 && slot.call?.requests == 2)
      #expect(
        slot.pending == [
          PendingRequest(name: "MPI_Irecv", peer: .rank(1 - rank), tag: 7, communicator: 0, bytes: 4, waited: true),
          PendingRequest(name: "MPI_Irecv", peer: .anySource, tag: MPICall.anyTag, communicator: 0, bytes: 4, waited: true),
        ])
    }
  }

  @Test func strictSendsBlockSmallExchanges() throws {
    let binary = try Self.compile("exchange", Self.exchange)
    let eager = try ProbeJob(binary, arguments: ["16"])
    defer { eager.kill() }
    #expect(eager.waitForExit(timeout: 60) == 0, "16 bytes go eagerly without strict sends")

    let strict = try ProbeJob(binary, arguments: ["16"], strict: true)
    defer { strict.kill() }
    for slot in try strict.wait(until: Self.bothIn("MPI_Send")) {
      #expect(slot?.call?.strict == true && slot?.call?.bytes == 16)
    }
  }

  /// Spinning on MPI_Test or MPI_Iprobe is not computing: the slot says whom it polls for.
  @Test func pollingLoopsShowWhatTheyPollFor() throws {
    let binary = try Self.compile(
      "poll",
      """
        int x, flag = 0; MPI_Request r; MPI_Status st;
        if (rank == 0) MPI_Irecv(&x, 1, MPI_INT, 1, 2, MPI_COMM_WORLD, &r);
        set_site("tests/poll.c", rank);
        while (!flag)
          if (rank == 0) MPI_Test(&r, &flag, &st); else MPI_Iprobe(MPI_ANY_SOURCE, 3, MPI_COMM_WORLD, &flag, &st);
        return 0;
      """, site: true)
    let job = try ProbeJob(binary)
    defer { job.kill() }
    let slots = try job.wait(until: { $0.allSatisfy { ($0?.polls ?? 0) > 1000 } })
    let (test, iprobe) = (try #require(slots[0]), try #require(slots[1]))
    #expect(test.state == .running && iprobe.state == .running)
    #expect(test.polling?.name == "MPI_Test" && test.polling?.peer == .rank(1) && test.polling?.tag == 2)
    #expect(test.polling?.site == "poll.c:0" && test.polling!.since <= ProbeSlots.now())
    #expect(test.pending == [PendingRequest(name: "MPI_Irecv", peer: .rank(1), tag: 2, communicator: 0, bytes: 4, waited: false)])
    #expect(iprobe.polling?.name == "MPI_Iprobe" && iprobe.polling?.peer == .anySource && iprobe.polling?.tag == 3)
  }

  /// A rank rewriting its record as fast as it can: every copy the reader accepts
  /// must be one record (tag, bytes and site from the same call), never a mix.
  @Test func readerNeverSeesATornRecord() throws {
    let binary = try Self.compile(
      "churn",
      """
        static char buf[100000];
        for (unsigned i = 0;; i++) {
          int n = (int)(i % 100000);
          set_site("tests/churn.c", n);
          MPI_Send(buf, n, MPI_BYTE, MPI_PROC_NULL, n, MPI_COMM_WORLD);
        }
      """, site: true)
    let job = try ProbeJob(binary, ranks: 1)
    defer { job.kill() }
    _ = try job.wait(until: { $0[0]?.call?.name == "MPI_Send" })
    var (seen, lastProgress, failures) = (0, UInt64(0), [String]())
    while seen < 2_000, failures.count < 5 {
      guard let slot = ProbeSlots.read(directory: job.slots, ranks: 1)[0], let call = slot.call else { continue }
      seen += 1
      if call.tag.map(UInt64.init) != call.bytes || call.site != "churn.c:\(call.bytes)" || call.peer != .procNull
        || slot.progress < lastProgress
      {
        failures.append("\(call.tag ?? -9) \(call.bytes) \(call.site) \(slot.progress)")
      }
      lastProgress = slot.progress
    }
    #expect(failures.isEmpty, "torn records: \(failures)")
    #expect(lastProgress > 1000, "the rank kept calling while we read")
  }

  /// The Swift offsets against the C compiler's, for every field and constant.
  @Test func swiftLayoutMatchesTheHeader() throws {
    var fields = ProbeLayout.constants.keys.sorted().filter { !$0.hasPrefix("calls.") }
    fields.removeAll { $0.hasPrefix("state.") }
    func expr(_ key: String) -> String {
      let parts = key.split(separator: ".").map(String.init)
      guard parts.count == 2 else { return "HPCGRADE_PROBE_\(key.uppercased())" }  // magic, version
      let (kind, name) = (parts[0], parts[1])
      switch kind {
      case "slot" where name == "size": return "sizeof(struct hpcgrade_probe_slot)"
      case "call" where name == "size": return "sizeof(struct hpcgrade_probe_call)"
      case "request" where name == "size": return "sizeof(struct hpcgrade_probe_request)"
      case "slot", "call", "request": return "offsetof(struct hpcgrade_probe_\(kind), \(name))"
      case "len":
        return name == "site" ? "HPCGRADE_PROBE_SITE_LEN"
          : name == "pending" ? "HPCGRADE_PROBE_MAX_PENDING" : "sizeof(((struct hpcgrade_probe_slot *)0)->\(name))"
      default: return "HPCGRADE_\(kind.uppercased())_\(name.uppercased())"  // peer.any → HPCGRADE_PEER_ANY
      }
    }
    let states = ["notStarted": "NOT_STARTED", "running": "RUNNING", "inMPI": "IN_MPI", "finalized": "FINALIZED", "exited": "EXITED"]
    let lines =
      fields.map { "  printf(\"\($0) %lld\\n\", (long long)(\(expr($0))));" }
      + states.map { "  printf(\"state.\($0.key) %d\\n\", HPCGRADE_STATE_\($0.value));" }
      + ["  printf(\"calls.count %d\\n\", HPCGRADE_CALL_COUNT);",
         "#define NAME(id, n, text) printf(\"name.%d %s\\n\", id, text);", "  HPCGRADE_PROBE_CALLS(NAME)"]
    let source = "#include <stddef.h>\n#include <stdio.h>\n#include \"probe.h\"\nint main(void) {\n"
      + lines.joined(separator: "\n") + "\n  return 0;\n}\n"
    let dir = Self.scratch.appendingPathComponent("layout")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try source.write(to: dir.appendingPathComponent("layout.c"), atomically: true, encoding: .utf8)
    let header = MPIPrograms.packageRoot.appendingPathComponent("Sources/MPIProbe").path
    let build = try Command.run(["cc", "-std=c11", "-Wall", "-I", header, "-o", "layout", "layout.c"], in: dir)
    try #require(build.status == 0, "\(build.stderr)")
    let output = try Command.output([dir.appendingPathComponent("layout").path])
    var names: [Int: String] = [:]
    var c: [String: Int] = [:]
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      if parts[0].hasPrefix("name.") {
        names[Int(parts[0].dropFirst(5))!] = parts.count > 1 ? parts[1] : ""
      } else {
        c[parts[0]] = Int(parts[1])!
      }
    }
    #expect(c == ProbeLayout.constants)
    #expect((0..<names.count).map { names[$0]! } == ProbeLayout.callNames)
  }

  @Test func readerTellsUnwrittenStaleAndTornSlotsApart() throws {
    let dir = Self.scratch.appendingPathComponent("hand-made-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var page = [UInt8](repeating: 0, count: ProbeLayout.slotSize)
    try Data().write(to: dir.appendingPathComponent("rank.0"))  // created, not yet sized
    try Data(page).write(to: dir.appendingPathComponent("rank.1"))  // sized, not yet written
    page.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(42), toByteOffset: 0, as: UInt64.self) }
    try Data(page).write(to: dir.appendingPathComponent("rank.2"))  // not a probe slot
    page.withUnsafeMutableBytes {
      $0.storeBytes(of: ProbeLayout.magic, toByteOffset: 0, as: UInt64.self)
      $0.storeBytes(of: ProbeLayout.version, toByteOffset: 8, as: UInt32.self)
      $0.storeBytes(of: UInt64(7), toByteOffset: ProbeLayout.seq, as: UInt64.self)
    }
    try Data(page).write(to: dir.appendingPathComponent("rank.3"))  // writer died mid-write
    let slots = ProbeSlots.read(directory: dir, ranks: 5)
    #expect(slots[0]?.state == .notStarted && slots[1]?.state == .notStarted && slots[1]?.rank == 1)
    #expect(slots[2] == nil && slots[3] == nil && slots[4] == nil)
  }
}

/// An `mpirun` job with the probe preloaded, in its own PID namespace (as the
/// launcher runs them), so killing the namespace's first process kills every rank.
final class ProbeJob {
  let process = Process()
  let slots: URL
  let ranks: Int
  private let directory: URL
  private let exited = DispatchSemaphore(value: 0)

  init(_ binary: URL, ranks: Int = 2, arguments: [String] = [], strict: Bool = false) throws {
    let dir = ProbeSlotsTests.scratch.appendingPathComponent("run-\(UUID().uuidString)")
    (directory, slots, self.ranks) = (dir, dir.appendingPathComponent("slots"), ranks)
    try FileManager.default.createDirectory(at: slots, withIntermediateDirectories: true)
    let library = try ProbeSlotsTests.library.get()
    let exports = ProbeLibrary.environment(library: library, directory: slots, strictSends: strict)
    var command = ["unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc"]
    if getuid() != 0 { command.insert(contentsOf: ["--user", "--map-root-user"], at: 1) }
    // A private /dev/shm, because Open MPI names its segments after mpirun's PID (1 here);
    // `timeout` ends the namespace even if this test process dies first.
    command += ["/bin/sh", "-c", "mount -t tmpfs -o mode=1777 probe-shm /dev/shm && exec \"$@\"", "sh"]
    command += ["timeout", "-s", "KILL", "120", "mpirun", "-np", "\(ranks)", "--oversubscribe", "--bind-to", "none"]
    command += exports.sorted { $0.key < $1.key }.flatMap { ["-x", "\($0.key)=\($0.value)"] }
    command += [binary.path] + arguments
    process.executableURL = URL(fileURLWithPath: Command.which("unshare")!)
    process.arguments = Array(command.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(
      ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]) { _, new in new }
    process.currentDirectoryURL = dir
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.terminationHandler = { [exited] _ in exited.signal() }
    try process.run()
  }

  /// Polls the slots until `done` holds; fails with what the ranks were doing.
  func wait(until done: ([ProbeSlot?]) -> Bool, timeout: Double = 30) throws -> [ProbeSlot?] {
    let deadline = Date().addingTimeInterval(timeout)
    var slots = ProbeSlots.read(directory: self.slots, ranks: ranks)
    while !done(slots) {
      guard Date() < deadline, process.isRunning else {
        throw ProbeJobError.notReached(slots.map { "\(String(describing: $0))" }.joined(separator: "\n"))
      }
      usleep(50_000)
      slots = ProbeSlots.read(directory: self.slots, ranks: ranks)
    }
    return slots
  }

  /// mpirun's exit status, or nil if it did not end in time.
  func waitForExit(timeout: Double) -> Int32? {
    guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
    exited.signal()  // for kill()
    return process.terminationStatus
  }

  /// Processes still running a program of the tests, once the kernel has had a
  /// moment to empty a killed namespace.
  func survivors() -> [String] {
    var found = CLI.processes(runningFrom: ProbeSlotsTests.scratch.path)
    for _ in 0..<40 where !found.isEmpty {
      usleep(50_000)
      found = CLI.processes(runningFrom: ProbeSlotsTests.scratch.path)
    }
    return found
  }

  /// SIGKILL to `unshare`: the kernel then kills everything in the namespace.
  func kill() {
    if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    exited.wait()
    exited.signal()
    try? FileManager.default.removeItem(at: directory)
  }
}

enum ProbeJobError: Error { case notReached(String) }
