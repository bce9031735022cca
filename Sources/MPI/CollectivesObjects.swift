import CMPI

// Collectives on any Codable value, like mpi4py's lower-case `bcast`, `scatter`, ….
// Values travel as bytes: first each rank's byte count, then the bytes.
extension Communicator {
  /// Returns the root's value on every rank; other ranks pass nil.
  ///
  ///     let cfg = comm.bcast(comm.rank == 0 ? Config.load() : nil, root: 0)
  public func bcast<T: Codable>(
    _ value: T?, root: Int, file: StaticString = #fileID, line: UInt = #line
  ) -> T {
    recordCallSite(file, line)
    let call = { "bcast(\(ObjectCoding.typeName(T.self))?, root: \(root))" }
    var bytes: [UInt8] = []
    if rank == root {
      guard let value else { fail(call(), "the root passed nil; it must pass the value to broadcast", file, line) }
      bytes = ObjectCoding.encode(value, call(), file, line)
    }
    var count = Int64(bytes.count)
    check(MPI_Bcast(&count, 1, Int64.mpiDatatype, Int32(clamping: root), handle), call(), file, line)
    if rank != root { bytes = [UInt8](repeating: 0, count: Int(count)) }
    let n = mpiCount(bytes.count, call(), file, line)
    check(MPI_Bcast(&bytes, n, cmpi_byte(), Int32(clamping: root), handle), call(), file, line)
    if rank == root, let value { return value }
    return ObjectCoding.decode(T.self, from: bytes, source: root, call(), file, line)
  }

  /// Hands `values[i]` of the root to rank `i`; the root passes one value per rank,
  /// others pass nil.
  ///
  ///     let mine = comm.scatter(comm.rank == 0 ? chunks : nil, root: 0)
  public func scatter<T: Codable>(
    _ values: [T]?, root: Int, file: StaticString = #fileID, line: UInt = #line
  ) -> T {
    recordCallSite(file, line)
    let call = { "scatter([\(ObjectCoding.typeName(T.self))]?, root: \(root))" }
    var payload: [UInt8] = []
    var counts: [Int32] = []
    if rank == root {
      guard let values, values.count == size else {
        fail(call(), "the root must pass exactly one value per rank (\(size)), got \(values.map { "\($0.count)" } ?? "nil")", file, line)
      }
      let parts = values.map { ObjectCoding.encode($0, call(), file, line) }
      counts = parts.map { mpiCount($0.count, call(), file, line) }
      payload = parts.flatMap { $0 }
    }
    var mine: Int32 = 0
    check(MPI_Scatter(counts, 1, Int32.mpiDatatype, &mine, 1, Int32.mpiDatatype, Int32(clamping: root), handle), call(), file, line)
    var bytes = [UInt8](repeating: 0, count: Int(mine))
    let displacements = offsets(counts, call(), file, line)
    check(
      MPI_Scatterv(payload, counts, displacements, cmpi_byte(), &bytes, mine, cmpi_byte(), Int32(clamping: root), handle),
      call(), file, line)
    return ObjectCoding.decode(T.self, from: bytes, source: root, call(), file, line)
  }

  /// Collects one value per rank at the root, in rank order; nil off the root.
  ///
  ///     if let all = comm.gather(x, root: 0) { print(all) }
  public func gather<T: Codable>(
    _ value: T, root: Int, file: StaticString = #fileID, line: UInt = #line
  ) -> [T]? {
    recordCallSite(file, line)
    let call = { "gather(\(ObjectCoding.typeName(T.self)), root: \(root))" }
    let bytes = ObjectCoding.encode(value, call(), file, line)
    var mine = mpiCount(bytes.count, call(), file, line)
    var counts = [Int32](repeating: 0, count: rank == root ? size : 0)
    check(MPI_Gather(&mine, 1, Int32.mpiDatatype, &counts, 1, Int32.mpiDatatype, Int32(clamping: root), handle), call(), file, line)
    let displacements = offsets(counts, call(), file, line)
    var all = [UInt8](repeating: 0, count: counts.reduce(0) { $0 + Int($1) })
    check(
      MPI_Gatherv(bytes, mine, cmpi_byte(), &all, counts, displacements, cmpi_byte(), Int32(clamping: root), handle),
      call(), file, line)
    guard rank == root else { return nil }
    return split(all, counts, displacements, call(), file, line)
  }

  /// Collects one value per rank on every rank, in rank order.
  ///
  ///     let everyone = comm.allgather(comm.rank * 10)
  public func allgather<T: Codable>(
    _ value: T, file: StaticString = #fileID, line: UInt = #line
  ) -> [T] {
    recordCallSite(file, line)
    let call = { "allgather(\(ObjectCoding.typeName(T.self)))" }
    let bytes = ObjectCoding.encode(value, call(), file, line)
    var mine = mpiCount(bytes.count, call(), file, line)
    var counts = [Int32](repeating: 0, count: size)
    check(MPI_Allgather(&mine, 1, Int32.mpiDatatype, &counts, 1, Int32.mpiDatatype, handle), call(), file, line)
    let displacements = offsets(counts, call(), file, line)
    var all = [UInt8](repeating: 0, count: counts.reduce(0) { $0 + Int($1) })
    check(
      MPI_Allgatherv(bytes, mine, cmpi_byte(), &all, counts, displacements, cmpi_byte(), handle),
      call(), file, line)
    return split(all, counts, displacements, call(), file, line)
  }

  /// Combines one number per rank at the root; nil off the root. Scalars go through
  /// MPI's own reduction, other numeric types are combined in rank order.
  ///
  ///     if let total = comm.reduce(partial, op: .sum, root: 0) { print(total) }
  public func reduce<T: Codable & Numeric & Comparable>(
    _ value: T, op: ReductionOp, root: Int, file: StaticString = #fileID, line: UInt = #line
  ) -> T? {
    recordCallSite(file, line)
    let call = { "reduce(\(ObjectCoding.typeName(T.self)), op: .\(op), root: \(root))" }
    if let scalar = T.self as? any MPIScalar.Type {
      var input = value
      var output = value
      let code = withUnsafeMutablePointer(to: &input) { i in
        withUnsafeMutablePointer(to: &output) { o in
          MPI_Reduce(i, o, 1, scalar.mpiDatatype, op.mpiOp, Int32(clamping: root), handle)
        }
      }
      check(code, call(), file, line)
      return rank == root ? output : nil
    }
    return gather(value, root: root, file: file, line: line)?.reduce(op, call(), file, line)
  }

  /// Combines one number per rank and returns the result on every rank.
  ///
  ///     let total = comm.allreduce(partial, op: .sum)
  public func allreduce<T: Codable & Numeric & Comparable>(
    _ value: T, op: ReductionOp, file: StaticString = #fileID, line: UInt = #line
  ) -> T {
    recordCallSite(file, line)
    let call = { "allreduce(\(ObjectCoding.typeName(T.self)), op: .\(op))" }
    if let scalar = T.self as? any MPIScalar.Type {
      var input = value
      var output = value
      let code = withUnsafeMutablePointer(to: &input) { i in
        withUnsafeMutablePointer(to: &output) { o in
          MPI_Allreduce(i, o, 1, scalar.mpiDatatype, op.mpiOp, handle)
        }
      }
      check(code, call(), file, line)
      return output
    }
    return allgather(value, file: file, line: line).reduce(op, call(), file, line)
  }

  private func offsets(_ counts: [Int32], _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt) -> [Int32] {
    var result: [Int32] = []
    var offset = 0
    for c in counts {
      result.append(mpiCount(offset, call(), file, line))
      offset += Int(c)
    }
    return result
  }

  private func split<T: Decodable>(
    _ bytes: [UInt8], _ counts: [Int32], _ displacements: [Int32], _ call: @autoclosure () -> String,
    _ file: StaticString, _ line: UInt
  ) -> [T] {
    counts.indices.map { i in
      let start = Int(displacements[i])
      let part = Array(bytes[start..<start + Int(counts[i])])
      return ObjectCoding.decode(T.self, from: part, source: i, call(), file, line)
    }
  }
}

extension Array where Element: Numeric & Comparable {
  fileprivate func reduce(_ op: ReductionOp, _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt) -> Element {
    guard let first else { fail(call(), "nothing to reduce", file, line) }
    return dropFirst().reduce(first) { op.combine($0, $1) }
  }
}
