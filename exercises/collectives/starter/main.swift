import MPI

let comm = MPI.world
let root = 1

// Part 1: broadcast these settings from rank 1 (the root) to every rank, and print
// them on every rank as: rank <r> got settings alpha=0.2 dx=0.01 steps=100.0 by bcast
let settings: [String: Double]? = comm.rank == root ? ["alpha": 0.2, "steps": 100, "dx": 0.01] : nil
// TODO: comm.bcast(…)

// Part 2: gather one line per rank at the root, which prints them in rank order:
// root collected: rank <r> of <size> squares to <r²>
// TODO: comm.gather(…)

// Part 3: the same broadcast with send/recv only, then on every rank:
// rank <r> got settings alpha=0.2 dx=0.01 steps=100.0 by send/recv
// TODO

print("rank \(comm.rank): nothing done yet")

/// Dictionaries have no fixed order; sorted keys make the line the same on every run.
func describe(_ settings: [String: Double]) -> String {
  settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: " ")
}
