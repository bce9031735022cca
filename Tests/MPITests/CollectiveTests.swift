import Testing
import TestSupport

/// Object and buffer collectives, rooted at the last rank so a zero root is not assumed.
@Suite struct CollectiveTests {
  static let program = """
    import MPI
    struct Config: Codable { var name: String; var steps: [Int] }
    let comm = MPI.world
    let root = comm.size - 1
    let r = comm.rank
    let cfg = comm.bcast(r == root ? Config(name: "run", steps: [1, 2, 3]) : nil, root: root)
    print("bcast \\(cfg.name) \\(cfg.steps)")
    let mine = comm.scatter(r == root ? (0..<comm.size).map { "part\\($0)" } : nil, root: root)
    print("scatter \\(mine)")
    print("gather \\(comm.gather(r * r, root: root).map { "\\($0)" } ?? "nil")")
    print("allgather \\(comm.allgather("r\\(r)"))")
    print("reduce \\(comm.reduce(r + 1, op: .prod, root: root).map { "\\($0)" } ?? "nil")")
    print("allreduce \\(comm.allreduce(Double(r) + 0.25, op: .sum)) \\(comm.allreduce(Int32(r), op: .max)) \\(comm.allreduce(Float(r) - 1, op: .min))")

    var table = r == root ? [1.5, 2.5, 3.5] : [0, 0, 0]
    comm.bcast(buffer: &table, root: root)
    print("bcast buffer \\(table)")
    var piece = [Int](repeating: 0, count: 2)
    comm.scatter(buffer: r == root ? Array(0..<(2 * comm.size)) : [], into: &piece, root: root)
    print("scatter buffer \\(piece)")
    var all = [Int](repeating: 0, count: r == root ? 2 * comm.size : 0)
    comm.gather(buffer: piece.map { $0 * 10 }, into: &all, root: root)
    print("gather buffer \\(all)")
    var everyone = [Int32](repeating: 0, count: comm.size)
    comm.allgather(buffer: [Int32(r)], into: &everyone)
    print("allgather buffer \\(everyone)")
    var sums = [Double](repeating: 0, count: r == root ? 2 : 0)
    comm.reduce(buffer: [Double(r), 1], into: &sums, op: .sum, root: root)
    print("reduce buffer \\(sums)")
    var maxima = [Int64](repeating: 0, count: 2)
    comm.allreduce(buffer: [Int64(r), -Int64(r)], into: &maxima, op: .max)
    print("allreduce buffer \\(maxima)")

    // Uneven: 10 items over the ranks, the first 10 % size ranks get one more.
    let counts = comm.evenCounts(10)
    var chunk = [Double](repeating: 0, count: counts[r])
    comm.scatterv(buffer: r == root ? (0..<10).map(Double.init) : [], counts: counts, into: &chunk, root: root)
    print("scatterv \\(chunk)")
    var back = [Double](repeating: 0, count: r == root ? 10 : 0)
    comm.gatherv(buffer: chunk.map { $0 * 2 }, into: &back, counts: counts, root: root)
    print("gatherv \\(back)")
    comm.barrier()
    """

  @Test(arguments: [1, 2, 3, 4])
  func collectivesAgreeWithASerialComputation(ranks: Int) throws {
    let run = try MPIPrograms.run(MPIPrograms.compile(Self.program), ranks: ranks)
    #expect(run.status == 0, "\(run.stderr)")
    let root = ranks - 1
    let counts = (0..<ranks).map { 10 / ranks + ($0 < 10 % ranks ? 1 : 0) }
    let offsets = counts.indices.map { counts[..<$0].reduce(0, +) }
    for r in 0..<ranks {
      let isRoot = r == root
      let chunk = (offsets[r]..<offsets[r] + counts[r]).map(Double.init)
      let expected = [
        "bcast run [1, 2, 3]",
        "scatter part\(r)",
        "gather " + (isRoot ? "\((0..<ranks).map { $0 * $0 })" : "nil"),
        "allgather \((0..<ranks).map { "r\($0)" })",
        "reduce " + (isRoot ? "\((1...ranks).reduce(1, *))" : "nil"),
        "allreduce \((0..<ranks).reduce(0.0) { $0 + Double($1) + 0.25 }) \(Int32(ranks - 1)) \(Float(-1))",
        "bcast buffer [1.5, 2.5, 3.5]",
        "scatter buffer [\(2 * r), \(2 * r + 1)]",
        "gather buffer " + (isRoot ? "\((0..<2 * ranks).map { $0 * 10 })" : "[]"),
        "allgather buffer \((0..<ranks).map(Int32.init))",
        "reduce buffer " + (isRoot ? "\([Double((0..<ranks).reduce(0, +)), Double(ranks)])" : "[]"),
        "allreduce buffer [\(ranks - 1), 0]",
        "scatterv \(chunk)",
        "gatherv " + (isRoot ? "\((0..<10).map { Double($0) * 2 })" : "[]"),
      ]
      #expect(run.lines(rank: r) == expected, "rank \(r)")
    }
  }
}
