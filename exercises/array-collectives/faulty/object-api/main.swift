// Mistake: scatters with the object (Codable) API, so 10 million doubles are encoded, copied and decoded as text: right answer, far too slow.
import MPI

let comm = MPI.world
let root = 0
let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000

let data = comm.rank == root ? [Double](repeating: 1.0, count: n) : []

// Cut the root's array into one chunk per rank and hand them out as objects.
let counts = comm.evenCounts(n)
var chunks: [[Double]]? = nil
if comm.rank == root {
  var start = 0
  chunks = counts.map { count in
    defer { start += count }
    return Array(data[start..<start + count])
  }
}
let mine = comm.scatter(chunks, root: root)

let partial = mine.reduce(0, +)

if let total = comm.reduce(partial, op: .sum, root: root) {
  print("global sum: \(total)")
  print("expected sum: \(Double(n))")
}
