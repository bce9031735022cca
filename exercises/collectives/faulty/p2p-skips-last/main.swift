import MPI

let comm = MPI.world
// Mistake: the hand-made broadcast stops one rank short, so the last rank waits forever.
let root = 1

// Part 1: the root's settings reach every rank in one broadcast.
let settings: [String: Double]? = comm.rank == root ? ["alpha": 0.2, "steps": 100, "dx": 0.01] : nil
let received = comm.bcast(settings, root: root)
print("rank \(comm.rank) got settings \(describe(received)) by bcast")

// Part 2: one message from every rank, collected at the root in rank order.
let notes = comm.gather("rank \(comm.rank) of \(comm.size) squares to \(comm.rank * comm.rank)", root: root)
if let notes {
  for note in notes { print("root collected: \(note)") }
}

// Part 3: the broadcast again, by hand: the root sends to every other rank.
let tag = 7
var byHand: [String: Double]
if comm.rank == root {
  byHand = settings!
  for destination in 0..<(comm.size - 1) where destination != root {
    comm.send(byHand, to: destination, tag: tag)
  }
} else {
  byHand = comm.recv([String: Double].self, from: root, tag: tag)
}
print("rank \(comm.rank) got settings \(describe(byHand)) by send/recv")

/// Dictionaries have no fixed order; sorted keys make the line the same on every run.
func describe(_ settings: [String: Double]) -> String {
  settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: " ")
}
