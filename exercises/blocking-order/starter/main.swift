import Foundation
import MPI

let comm = MPI.world
let rank = comm.rank, size = comm.size
// One tag per kind of message, so that a receive never picks up a message meant
// for another part of the program.
let wakeTag = 1, placeTag = 2, swapTag = 3

// Part 1: wake-up calls.
if rank == 0 {
  // TODO: size - 1 times: receive a String with tag wakeTag from *any* rank
  //       (comm.recvMessage tells you who sent it), print
  //         rank 0 heard "<the note>" from rank <sender>
  //       and send the sender its place (1 for the first note, 2 for the next, …)
  //       with tag placeTag.
} else {
  sleep(UInt32(rank))
  // TODO: send "rank <rank> is awake" to rank 0 with tag wakeTag, receive your
  //       place (an Int, tag placeTag) and print
  //         rank <rank> woke up number <place>
}

// Part 2: partners (0 with 1, 2 with 3, …) swap a million values each.
// This hangs (run it and see). Find out why, and fix it.
let count = 1_000_000
let partner = rank % 2 == 0 ? rank + 1 : rank - 1
if partner < size {
  let mine = [Double](repeating: Double(rank), count: count)
  var theirs = [Double](repeating: 0, count: count)
  comm.send(buffer: mine, to: partner, tag: swapTag)
  comm.recv(into: &theirs, from: partner, tag: swapTag)
  print("rank \(rank) received \(theirs.count) values from rank \(partner), sum \(theirs.reduce(0, +))")
} else {
  print("rank \(rank) has no partner")
}
