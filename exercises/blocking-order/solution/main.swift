import Foundation
import MPI

let comm = MPI.world
let rank = comm.rank, size = comm.size
// One tag per kind of message, so that a receive never picks up a message meant
// for another part of the program (rank 1 may start part 2 while rank 0 is still
// busy with part 1).
let wakeTag = 1, placeTag = 2, swapTag = 3

// Part 1: wake-up calls. Rank r sleeps r seconds, then reports to rank 0 and
// waits for its place in the wake-up order. Rank 0 does not know who comes
// first, so it takes the reports from any source, in the order they arrive.
if rank == 0 {
  for place in 1..<size {
    let note = comm.recvMessage(String.self, from: MPI.anySource, tag: wakeTag)
    print("rank 0 heard \"\(note.value)\" from rank \(note.source)")
    comm.send(place, to: note.source, tag: placeTag)
  }
} else {
  sleep(UInt32(rank))
  comm.send("rank \(rank) is awake", to: 0, tag: wakeTag)
  let place = comm.recv(Int.self, from: 0, tag: placeTag)
  print("rank \(rank) woke up number \(place)")
}

// Part 2: partners (0 with 1, 2 with 3, …) swap a million values each. If both
// partners sent first, each send would wait for a receive the other rank never
// reaches. sendrecv hands MPI both directions at once, and MPI pairs them up.
let count = 1_000_000
let partner = rank % 2 == 0 ? rank + 1 : rank - 1
if partner < size {
  let mine = [Double](repeating: Double(rank), count: count)
  var theirs = [Double](repeating: 0, count: count)
  comm.sendrecv(buffer: mine, to: partner, sendTag: swapTag, into: &theirs, from: partner, recvTag: swapTag)
  print("rank \(rank) received \(theirs.count) values from rank \(partner), sum \(theirs.reduce(0, +))")
} else {
  // With an odd number of ranks the last one is left over.
  print("rank \(rank) has no partner")
}
