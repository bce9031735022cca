import MPI

// Sum N ones spread over all ranks with the buffer collectives.
// N is the first argument (10,000,000 when none is given).
let comm = MPI.world
let root = 0
let n = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000_000

// Only the root holds the whole array; the other ranks have an empty one.
let data = comm.rank == root ? [Double](repeating: 1.0, count: n) : []

// TODO 1: work out how many elements each rank gets (comm.evenCounts helps),
//         make a receive array of that length and scatter `data` into it with the
//         buffer API (scatterv, so that no element is lost when N % size != 0).

// TODO 2: sum this rank's part.
let partial = 0.0

// TODO 3: combine the partial sums on the root with the buffer reduce
//         (reduce(buffer:into:op:root:)); the root's result array needs one element.
let globalSum = partial

if comm.rank == root {
  print("global sum: \(globalSum)")
  print("expected sum: \(Double(n))")
}
