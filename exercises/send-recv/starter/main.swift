import MPI

/// What travels between the ranks: any Codable value can be sent as an object.
struct Parcel: Codable {
  var from: Int
  var text: String
  var numbers: [Int]
}

let comm = MPI.world

// TODO:
// rank 0: send Parcel(from: 0, text: "ping", numbers: [1, 2, 3, 4]) to rank 1 (tag 1),
//         then receive rank 1's reply (tag 2) and print
//         rank 0 got pong from rank 1 with [10, 20, 30, 40], total 100
// rank 1: receive the parcel, print
//         rank 1 got ping from rank 0 with [1, 2, 3, 4]
//         then reply with the numbers times ten, text "pong", from 1
// others: print  rank <r> is idle
print("rank \(comm.rank) has not started yet")
