import MPI

// Sum N ones spread over all ranks with the buffer collectives.
// N is the first argument (10,000,000 when none is given).
let comm = MPI.world
let root = 0
let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000

// Only the root holds the whole array; the other ranks pass an empty one,
// which scatterv ignores off the root.
let data = comm.rank == root ? [Double](repeating: 1.0, count: n) : []

// One count per rank, as even as possible: the first N % size ranks get one more,
// so every element goes somewhere even when N does not divide by the size.
let counts = comm.evenCounts(n)
var mine = [Double](repeating: 0, count: counts[comm.rank])
comm.scatterv(buffer: data, counts: counts, into: &mine, root: root)

// Each rank sums its own part: a plain loop over contiguous memory.
var partial = 0.0
for x in mine { partial += x }

// The partial sums travel as one-element arrays; only the root needs room for the result.
var total = comm.rank == root ? [0.0] : []
comm.reduce(buffer: [partial], into: &total, op: .sum, root: root)

if comm.rank == root {
  print("global sum: \(total[0])")
  print("expected sum: \(Double(n))")
}
