import MPI

// A typical mistake: part 2 is printed by every rank, not by rank 0 alone.
let comm = MPI.world
print("Hello from rank \(comm.rank) of \(comm.size), rank squared is \(comm.rank * comm.rank)")
comm.barrier()
print("Rank 0 speaking for all \(comm.size) ranks")
