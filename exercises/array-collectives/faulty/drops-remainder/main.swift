// Mistake: gives every rank N / size elements and scatters only the first size × (N / size), so the N % size elements left over are never summed.
import MPI

let comm = MPI.world
let root = 0
let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000

let data = comm.rank == root ? [Double](repeating: 1.0, count: n) : []

let chunk = n / comm.size
var mine = [Double](repeating: 0, count: chunk)
// scatter wants exactly size × chunk elements on the root, so hand it just those.
let evenPart = comm.rank == root ? Array(data.prefix(chunk * comm.size)) : []
comm.scatter(buffer: evenPart, into: &mine, root: root)

var partial = 0.0
for x in mine { partial += x }

var total = comm.rank == root ? [0.0] : []
comm.reduce(buffer: [partial], into: &total, op: .sum, root: root)

if comm.rank == root {
  print("global sum: \(total[0])")
  print("expected sum: \(Double(n))")
}
