import MPI

/// What travels between the ranks: any Codable value can be sent as an object.
struct Parcel: Codable {
  var from: Int
  var text: String
  var numbers: [Int]
}

let comm = MPI.world
// Two tags, one per kind of message: a receive names the tag it waits for.
let requestTag = 1, replyTag = 2

switch comm.rank {
case 0:
  // Send first, then wait for the answer.
  let request = Parcel(from: 0, text: "ping", numbers: [1, 2, 3, 4])
  comm.send(request, to: 1, tag: requestTag)
  let reply = comm.recv(Parcel.self, from: 1, tag: replyTag)
  print("rank 0 got \(reply.text) from rank \(reply.from) with \(reply.numbers), total \(reply.numbers.reduce(0, +))")
case 1:
  // Wait for the request, then answer it: the mirror image of rank 0.
  let request = comm.recv(Parcel.self, from: 0, tag: requestTag)
  print("rank 1 got \(request.text) from rank \(request.from) with \(request.numbers)")
  let reply = Parcel(from: 1, text: "pong", numbers: request.numbers.map { $0 * 10 })
  comm.send(reply, to: 0, tag: replyTag)
default:
  // No message is meant for these ranks; they must not wait for one.
  print("rank \(comm.rank) is idle")
}
