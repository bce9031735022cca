import MPI

let comm = MPI.world
let root = 1  // not 0: nothing about collectives makes rank 0 special

// Every rank starts with its own view of the run; the root's view is the one the
// whole job must share.
let mine: [String: Int] = ["owner": comm.rank, "ranks": comm.size, "seed": 1000 + comm.rank]

// Part 1: one call on every rank. The root's dictionary comes back everywhere;
// what the other ranks pass in is ignored.
let shared = comm.bcast(mine, root: root)
print("rank \(comm.rank) got \(describe(shared)) by bcast")

// Part 2: one line from every rank, collected at the root in rank order.
// gather returns the array on the root and nil on every other rank.
let line = "rank \(comm.rank) of \(comm.size) squares to \(comm.rank * comm.rank)"
if let lines = comm.gather(line, root: root) {
  for collected in lines { print("root collected: \(collected)") }
}

// Part 3: the broadcast again, by hand: the root sends to every other rank, one
// message after the other; every other rank receives once, from the root.
let tag = 7
var byHand = mine
if comm.rank == root {
  for destination in 0..<comm.size where destination != root {
    comm.send(byHand, to: destination, tag: tag)
  }
} else {
  byHand = comm.recv([String: Int].self, from: root, tag: tag)
}
print("rank \(comm.rank) got \(describe(byHand)) by send/recv")

/// A dictionary has no fixed order; sorted keys print the same line on every run.
func describe(_ settings: [String: Int]) -> String {
  settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: " ")
}
