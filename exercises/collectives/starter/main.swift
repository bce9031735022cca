import MPI

let comm = MPI.world
let root = 1

// Every rank starts with its own view of the run; the root's view is the one the
// whole job must share.
let mine: [String: Int] = ["owner": comm.rank, "ranks": comm.size, "seed": 1000 + comm.rank]

// Part 1: broadcast the root's dictionary; every rank prints what it got:
//   rank <r> got owner=1 ranks=<size> seed=1001 by bcast
// (use describe(_:) below for the dictionary)
// TODO: comm.bcast(…)

// Part 2: gather one line per rank at the root:
//   rank <r> of <size> squares to <r²>
// and print them on the root only, in rank order, each as
//   root collected: <line>
// TODO: comm.gather(…)

// Part 3: the same broadcast with send and recv only. Every rank then prints:
//   rank <r> got owner=1 ranks=<size> seed=1001 by send/recv
// TODO

print("rank \(comm.rank) got \(describe(mine)) by nothing yet")

/// A dictionary has no fixed order; sorted keys print the same line on every run.
func describe(_ settings: [String: Int]) -> String {
  settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: " ")
}
