import Testing
import TestSupport

/// Object and buffer send/receive between real ranks.
@Suite struct PointToPointTests {
  static let objects = """
    import MPI
    enum Shape: Codable, Equatable { case circle(radius: Double), polygon([[Double]]) }
    struct Particle: Codable, Equatable {
      var id: Int; var position: [Double]; var tags: [String: Int]; var note: String?; var shape: Shape
    }
    struct Snapshot: Codable, Equatable { var step: Int; var particles: [Particle]; var meta: [String: [Int8]] }
    let snapshot = Snapshot(step: 3, particles: [
      Particle(id: 1, position: [0.1, -2.5e-300, .infinity], tags: ["a": 1], note: nil, shape: .circle(radius: 2)),
      Particle(id: 2, position: [1e308], tags: [:], note: "ünïcode ✓ \\"quoted\\"", shape: .polygon([[0, 0], [1, 0.5]])),
    ], meta: ["x": [1, -2]])
    let comm = MPI.world
    if comm.rank == 0 {
      comm.send(snapshot, to: 1, tag: 5)
      let back = comm.recvMessage(Snapshot.self, tag: 9)
      print("snapshot equal \\(back.value == snapshot) source \\(back.source) tag \\(back.tag)")
      comm.send("done", to: 1)
      let n = comm.recv(Double.self, from: 1, tag: 2)
      print("nan \\(n.isNaN)")
    } else if comm.rank == 1 {
      let s = comm.recv(Snapshot.self, from: 0, tag: 5)
      comm.ssend(s, to: 0, tag: 9)
      print("got \\(comm.recv(String.self, from: 0))")
      comm.send(Double.nan, to: 0, tag: 2)
    } else {
      print("idle")
    }
    // Every rank swaps with its neighbours in one call: no deadlock whatever the size.
    let right = (comm.rank + 1) % comm.size, left = (comm.rank + comm.size - 1) % comm.size
    let fromLeft = comm.sendrecv([comm.rank, comm.rank * 10], to: right, from: left)
    print("from left \\(fromLeft)")
    """

  @Test(arguments: [2, 3])
  func nestedCodableValuesRoundTrip(ranks: Int) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.objects), ranks: ranks)
    #expect(run.status == 0, "\(run.stderr)")
    let fromLeft = { (rank: Int) -> String in
      let left = (rank + ranks - 1) % ranks
      return "from left [\(left), \(left * 10)]"
    }
    #expect(run.lines(rank: 0) == ["snapshot equal true source 1 tag 9", "nan true", fromLeft(0)])
    #expect(run.lines(rank: 1) == ["got done", fromLeft(1)])
    for rank in 2..<ranks { #expect(run.lines(rank: rank) == ["idle", fromLeft(rank)]) }
  }

  static let buffers = """
    import MPI
    let comm = MPI.world
    func roundTrip<T: MPIScalar & Equatable>(_ values: [T], zero: T) {
      if comm.rank == 0 {
        comm.send(buffer: values, to: 1, tag: 1)
        var back = [T](repeating: zero, count: values.count)
        let from = comm.recv(into: &back, from: 1, tag: 2)
        print("\\(T.self) \\(values.count) \\(back == values) from \\(from.source) tag \\(from.tag)")
      } else if comm.rank == 1 {
        var got = [T](repeating: zero, count: values.count)
        comm.recv(into: &got, from: 0, tag: 1)
        comm.ssend(buffer: got, to: 0, tag: 2)
      }
    }
    for n in [0, 1, 1000, 1 << 20] {
      roundTrip((0..<n).map { Double($0) * 1.5 - 7 }, zero: 0)
      roundTrip((0..<n).map { Float($0) / 3 }, zero: 0)
      roundTrip((0..<n).map { Int($0) * 1_000_003 - 5_000_000_000 }, zero: 0)
      roundTrip((0..<n).map { Int32(truncatingIfNeeded: $0 * 7919) }, zero: 0)
      roundTrip((0..<n).map { Int64($0) << 20 }, zero: 0)
      roundTrip((0..<n).map { UInt8(truncatingIfNeeded: $0) }, zero: 0)
      roundTrip((0..<n).map { $0 % 3 == 0 }, zero: false)
    }
    // A ring exchange of large arrays with sendrecv: safe where two blocking sends hang.
    let right = (comm.rank + 1) % comm.size, left = (comm.rank + comm.size - 1) % comm.size
    var fromLeft = [Double](repeating: 0, count: 100_000)
    comm.sendrecv(buffer: [Double](repeating: Double(comm.rank), count: 100_000), to: right,
                  into: &fromLeft, from: left)
    print("ring \\(fromLeft.allSatisfy { $0 == Double(left) })")
    """

  @Test(arguments: [2, 4])
  func everyScalarTypeRoundTrips(ranks: Int) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.buffers), ranks: ranks)
    #expect(run.status == 0, "\(run.stderr)")
    var expected: [String] = []
    for n in [0, 1, 1000, 1 << 20] {
      for type in ["Double", "Float", "Int", "Int32", "Int64", "UInt8", "Bool"] {
        expected.append("\(type) \(n) true from 1 tag 2")
      }
    }
    #expect(run.lines(rank: 0) == expected + ["ring true"])
    for rank in 1..<ranks { #expect(run.lines(rank: rank) == ["ring true"]) }
  }
}
