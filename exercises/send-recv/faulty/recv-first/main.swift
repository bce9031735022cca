// Mistake: rank 0 waits for the reply before sending the request, so ranks 0 and 1 both start by receiving.
import MPI

/// What travels between the ranks: any Codable value can be sent as an object.
struct Parcel: Codable {
  var from: Int
  var text: String
  var numbers: [Int]
}

let comm = MPI.world
let requestTag = 1, replyTag = 2

switch comm.rank {
case 0:
  let reply = comm.recv(Parcel.self, from: 1, tag: replyTag)
  let request = Parcel(from: 0, text: "ping", numbers: [1, 2, 3, 4])
  comm.send(request, to: 1, tag: requestTag)
  print("rank 0 got \(reply.text) from rank \(reply.from) with \(reply.numbers), total \(reply.numbers.reduce(0, +))")
case 1:
  let request = comm.recv(Parcel.self, from: 0, tag: requestTag)
  print("rank 1 got \(request.text) from rank \(request.from) with \(request.numbers)")
  let reply = Parcel(from: 1, text: "pong", numbers: request.numbers.map { $0 * 10 })
  comm.send(reply, to: 0, tag: replyTag)
default:
  print("rank \(comm.rank) is idle")
}
