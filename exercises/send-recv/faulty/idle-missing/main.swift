// Mistake: ranks 2 and up have nothing to send or receive, so the program forgets them and they print nothing.
import MPI

/// What travels between the ranks: any Codable value can be sent as an object.
struct Parcel: Codable {
  var from: Int
  var text: String
  var numbers: [Int]
}

let comm = MPI.world
let requestTag = 1, replyTag = 2

if comm.rank == 0 {
  let request = Parcel(from: 0, text: "ping", numbers: [1, 2, 3, 4])
  comm.send(request, to: 1, tag: requestTag)
  let reply = comm.recv(Parcel.self, from: 1, tag: replyTag)
  print("rank 0 got \(reply.text) from rank \(reply.from) with \(reply.numbers), total \(reply.numbers.reduce(0, +))")
} else if comm.rank == 1 {
  let request = comm.recv(Parcel.self, from: 0, tag: requestTag)
  print("rank 1 got \(request.text) from rank \(request.from) with \(request.numbers)")
  let reply = Parcel(from: 1, text: "pong", numbers: request.numbers.map { $0 * 10 })
  comm.send(reply, to: 0, tag: replyTag)
}
