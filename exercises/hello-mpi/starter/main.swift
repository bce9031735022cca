import MPI

let comm = MPI.world

// Part 1: every rank prints one line:
//   Hello from rank <rank> of <size>, rank squared is <rank²>
// TODO: print it.

// Part 2: rank 0 alone prints:
//   Rank 0 speaking for all <size> ranks
// TODO: print it, on rank 0 only.
