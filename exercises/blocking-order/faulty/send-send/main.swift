import Foundation
import MPI

let comm = MPI.world
let rank = comm.rank, size = comm.size

// Part 1: the ranks wake up one after another, 0.2 s apart. Rank 0 receives from
// any source, so it hears them in the order they woke, whatever order it expected.
// Its own tag keeps these messages apart from part 2's, which may already be on the way.
let wakeTag = 1, swapTag = 2
if rank == 0 {
  for _ in 1..<size {
    let message = comm.recvMessage(String.self, tag: wakeTag)
    print("rank 0 heard \"\(message.value)\" from rank \(message.source)")
  }
} else {
  usleep(UInt32(rank) * 200_000)
  comm.send("rank \(rank) is awake", to: 0, tag: wakeTag)
}

// Part 2: partners (0 with 1, 2 with 3, …) swap a million values each.
// Mistake: both partners send first. A standard send may wait until the partner
// receives, and the partner is itself waiting in its own send.
let count = 1_000_000
let partner = rank ^ 1
if partner < size {
  let mine = [Double](repeating: Double(rank), count: count)
  var theirs = [Double](repeating: 0, count: count)
  comm.send(buffer: mine, to: partner, tag: swapTag)
  comm.recv(into: &theirs, from: partner, tag: swapTag)
  print("rank \(rank) received \(theirs.count) values from rank \(partner), sum \(theirs.reduce(0, +))")
} else {
  print("rank \(rank) has no partner")
}
