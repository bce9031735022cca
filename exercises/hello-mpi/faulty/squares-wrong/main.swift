import MPI

// A typical mistake: doubling the rank instead of squaring it (right for 0 and 2 only).
let comm = MPI.world
print("Hello from rank \(comm.rank) of \(comm.size), rank squared is \(comm.rank * 2)")
comm.barrier()
if comm.rank == 0 {
  print("Rank 0 speaking for all \(comm.size) ranks")
}
