import MPI

let comm = MPI.world

// Part 1: every rank introduces itself.
print("Hello from rank \(comm.rank) of \(comm.size), rank squared is \(comm.rank * comm.rank)")

// Part 2: one line for the whole job, from rank 0 only.
comm.barrier()
if comm.rank == 0 {
  print("Rank 0 speaking for all \(comm.size) ranks")
}
