// OSU-style ping-pong (cf. osu_latency) written the way a student would, against
// the course's `MPI` module; pingpong.c is the same loop in C.
//
//     pingpong [buffer|object] [max-size]
//
// buffer (default): comm.send(buffer:to:tag:) / comm.recv(into:from:tag:) on a
//   [UInt8], with exactly the C program's schedule (10000 iterations + 100 warm-up
//   up to 8 KiB, 1000 + 10 above, timed in `blocks` blocks, the median block's
//   mean reported; pingpong.c says why).
// object: comm.send(_:to:tag:) / comm.recv([UInt8].self, from:tag:), i.e. the
//   Codable path (type name + JSON). It is orders of magnitude slower, so after
//   the warm-up rank 0 times one round trip and cuts the iteration count to fit
//   about `objectBudget` seconds per size (at least 3; a probe longer than the
//   budget is itself the single timed round trip); plain mean, no blocks.
//
// max-size (bytes, default 4 MiB) stops early; the runner uses it to keep the
// slow object runs short.
//
// Rank 0 prints one line per size: `size latency_us bandwidth_MBps` (latency =
// half the round trip, MB = 10^6 bytes, bandwidth = size / one-way time). Lines
// starting with # are comments.
import MPI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let minSize = 8
let maxSize = 4 << 20
let large = 8192
let blocks = 10
let objectBudget = 0.5

func iterations(_ size: Int) -> Int { size <= large ? 10000 : 1000 }
func warmups(_ size: Int) -> Int { size <= large ? 100 : 10 }

let arguments = CommandLine.arguments.dropFirst()
let mode = arguments.first ?? "buffer"
let lastSize = arguments.dropFirst().first.flatMap { Int($0) } ?? maxSize
guard mode == "buffer" || mode == "object", arguments.count <= 2, lastSize >= minSize else {
  print("usage: pingpong [buffer|object] [max-size]")
  exit(2)
}
let comm = MPI.world
guard comm.size == 2 else {
  if comm.rank == 0 { print("pingpong: needs exactly 2 ranks, got \(comm.size)") }
  MPI.abort(code: 1)
}
if comm.rank == 0 { print("# swift-\(mode) size latency_us bandwidth_MBps") }

/// One round trip through the buffer API.
@inline(__always)
func bufferRoundTrip(_ buf: inout [UInt8]) {
  if comm.rank == 0 {
    comm.send(buffer: buf, to: 1, tag: 1)
    comm.recv(into: &buf, from: 1, tag: 1)
  } else {
    comm.recv(into: &buf, from: 0, tag: 1)
    comm.send(buffer: buf, to: 0, tag: 1)
  }
}

/// One round trip through the object API; the echo is what comes back.
@inline(__always)
func objectRoundTrip(_ buf: inout [UInt8]) {
  if comm.rank == 0 {
    comm.send(buf, to: 1, tag: 1)
    buf = comm.recv([UInt8].self, from: 1, tag: 1)
  } else {
    buf = comm.recv([UInt8].self, from: 0, tag: 1)
    comm.send(buf, to: 0, tag: 1)
  }
}

var size = minSize
while size <= min(lastSize, maxSize) {
  var buf = [UInt8](repeating: 1, count: size)
  var iters = iterations(size)
  comm.barrier()
  if mode == "buffer" {
    for _ in 0..<warmups(size) { bufferRoundTrip(&buf) }
    comm.barrier()
    let perBlock = iters / blocks
    var blockMicros = [Double](repeating: 0, count: blocks)
    for b in 0..<blocks {
      let t0 = MPI.wtime()
      for _ in 0..<perBlock { bufferRoundTrip(&buf) }
      blockMicros[b] = (MPI.wtime() - t0) * 1e6 / Double(2 * perBlock)
    }
    blockMicros.sort()
    let latency = (blockMicros[blocks / 2 - 1] + blockMicros[blocks / 2]) / 2
    if comm.rank == 0 { print(size, fmt(latency, 3), fmt(Double(size) / latency, 2)) }
  } else {
    // OSU's warm-up up to 64 KiB; above that the probe round trip is the warm-up.
    if size <= 65536 { for _ in 0..<warmups(size) { objectRoundTrip(&buf) } }
    // Rank 0 sizes the timed run from one probe round trip and tells rank 1; a
    // count of 0 means the probe alone took longer than the budget and is the result.
    comm.barrier()
    let probe0 = MPI.wtime()
    objectRoundTrip(&buf)
    let probe = MPI.wtime() - probe0
    var count = [probe >= objectBudget ? 0 : max(3, min(iters, Int(objectBudget / probe)))]
    if comm.rank == 0 { comm.send(buffer: count, to: 1, tag: 2) } else { comm.recv(into: &count, from: 0, tag: 2) }
    iters = count[0]
    var elapsed = probe
    if iters > 0 {
      comm.barrier()
      let t0 = MPI.wtime()
      for _ in 0..<iters { objectRoundTrip(&buf) }
      elapsed = MPI.wtime() - t0
    }
    let latency = elapsed * 1e6 / Double(2 * max(iters, 1))
    if comm.rank == 0 { print(size, fmt(latency, 3), fmt(Double(size) / latency, 2)) }
  }
  if buf.count != size { print("pingpong: echoed \(buf.count) bytes, sent \(size)"); MPI.abort(code: 1) }
  size *= 2
}

/// Fixed-point formatting without Foundation: `fmt(3.14159, 3)` is "3.142".
func fmt(_ x: Double, _ digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = Int((x * scale).rounded())
  let whole = String(scaled / Int(scale))
  let frac = String(scaled % Int(scale))
  return whole + "." + String(repeating: "0", count: digits - frac.count) + frac
}
