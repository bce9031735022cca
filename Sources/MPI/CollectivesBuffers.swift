import CMPI

// Collectives on arrays of scalars, like mpi4py's upper-case `Bcast`, `Scatter`, ….
// Every rank of the communicator must make the same call.
extension Communicator {
  /// Copies the root's array into every rank's `buffer`, which must have the same length.
  ///
  ///     comm.bcast(buffer: &table, root: 0)
  public func bcast<T: MPIScalar>(
    buffer: inout [T], root: Int, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count] in "bcast(buffer: [\(T.self)] × \(bufferCount), root: \(root))" }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeMutableBufferPointer {
      MPI_Bcast($0.baseAddress, n, T.mpiDatatype, Int32(clamping: root), handle)
    }
    check(code, call(), file, line)
  }

  /// Splits the root's `buffer` into `size` equal chunks, chunk `i` to rank `i`'s
  /// `into`; the root's buffer must hold `size × into.count` elements (others may pass []).
  ///
  ///     comm.scatter(buffer: all, into: &mine, root: 0)
  public func scatter<T: MPIScalar>(
    buffer: [T], into local: inout [T], root: Int, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count, localCount = local.count] in "scatter(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(localCount), root: \(root))" }
    if rank == root, buffer.count != size * local.count {
      fail(call(), "the root's buffer holds \(buffer.count) elements, expected \(size) ranks × \(local.count) = \(size * local.count); use scatterv for uneven chunks", file, line)
    }
    let n = mpiCount(local.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      local.withUnsafeMutableBufferPointer { into in
        MPI_Scatter(out.baseAddress, n, T.mpiDatatype, into.baseAddress, n, T.mpiDatatype, Int32(clamping: root), handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Like `scatter`, with `counts[i]` elements for rank `i` (`evenCounts` makes them);
  /// `into` must hold `counts[rank]` elements.
  ///
  ///     let counts = comm.evenCounts(all.count)
  ///     var mine = [Double](repeating: 0, count: counts[comm.rank])
  ///     comm.scatterv(buffer: all, counts: counts, into: &mine, root: 0)
  public func scatterv<T: MPIScalar>(
    buffer: [T], counts: [Int], into local: inout [T], root: Int,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count, localCount = local.count] in "scatterv(buffer: [\(T.self)] × \(bufferCount), counts: \(counts), into: [\(T.self)] × \(localCount), root: \(root))" }
    let (counts32, displacements) = layout(counts, total: rank == root ? buffer.count : nil, local: local.count, call(), file, line)
    let localCount = Int32(local.count)
    let code = buffer.withUnsafeBufferPointer { out in
      local.withUnsafeMutableBufferPointer { into in
        MPI_Scatterv(
          out.baseAddress, counts32, displacements, T.mpiDatatype,
          into.baseAddress, localCount, T.mpiDatatype, Int32(clamping: root), handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Collects every rank's `buffer` into the root's `into`, rank by rank; the root's
  /// `into` must hold `size × buffer.count` elements (others may pass []).
  ///
  ///     comm.gather(buffer: mine, into: &all, root: 0)
  public func gather<T: MPIScalar>(
    buffer: [T], into all: inout [T], root: Int, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [allCount = all.count, bufferCount = buffer.count] in "gather(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(allCount), root: \(root))" }
    if rank == root, all.count != size * buffer.count {
      fail(call(), "the root's result holds \(all.count) elements, expected \(size) ranks × \(buffer.count) = \(size * buffer.count); use gatherv for uneven chunks", file, line)
    }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      all.withUnsafeMutableBufferPointer { into in
        MPI_Gather(out.baseAddress, n, T.mpiDatatype, into.baseAddress, n, T.mpiDatatype, Int32(clamping: root), handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Like `gather`, with `counts[i]` elements from rank `i`.
  ///
  ///     comm.gatherv(buffer: mine, into: &all, counts: counts, root: 0)
  public func gatherv<T: MPIScalar>(
    buffer: [T], into all: inout [T], counts: [Int], root: Int,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [allCount = all.count, bufferCount = buffer.count] in "gatherv(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(allCount), counts: \(counts), root: \(root))" }
    let (counts32, displacements) = layout(counts, total: rank == root ? all.count : nil, local: buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      all.withUnsafeMutableBufferPointer { into in
        MPI_Gatherv(
          out.baseAddress, Int32(buffer.count), T.mpiDatatype,
          into.baseAddress, counts32, displacements, T.mpiDatatype, Int32(clamping: root), handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Collects every rank's `buffer` into every rank's `into` (`size × buffer.count`).
  ///
  ///     comm.allgather(buffer: mine, into: &all)
  public func allgather<T: MPIScalar>(
    buffer: [T], into all: inout [T], file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [allCount = all.count, bufferCount = buffer.count] in "allgather(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(allCount))" }
    if all.count != size * buffer.count {
      fail(call(), "the result holds \(all.count) elements, expected \(size) ranks × \(buffer.count) = \(size * buffer.count)", file, line)
    }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      all.withUnsafeMutableBufferPointer { into in
        MPI_Allgather(out.baseAddress, n, T.mpiDatatype, into.baseAddress, n, T.mpiDatatype, handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Combines the ranks' arrays element by element into the root's `into`, which
  /// must have the same length (others may pass []).
  ///
  ///     comm.reduce(buffer: partial, into: &total, op: .sum, root: 0)
  public func reduce<T: MPIScalar>(
    buffer: [T], into result: inout [T], op: ReductionOp, root: Int,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count, resultCount = result.count] in "reduce(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(resultCount), op: .\(op), root: \(root))" }
    if rank == root, result.count != buffer.count {
      fail(call(), "the root's result holds \(result.count) elements, expected \(buffer.count)", file, line)
    }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      result.withUnsafeMutableBufferPointer { into in
        MPI_Reduce(out.baseAddress, into.baseAddress, n, T.mpiDatatype, op.mpiOp, Int32(clamping: root), handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Combines the ranks' arrays element by element into every rank's `into`.
  ///
  ///     comm.allreduce(buffer: partial, into: &total, op: .max)
  public func allreduce<T: MPIScalar>(
    buffer: [T], into result: inout [T], op: ReductionOp, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count, resultCount = result.count] in "allreduce(buffer: [\(T.self)] × \(bufferCount), into: [\(T.self)] × \(resultCount), op: .\(op))" }
    if result.count != buffer.count {
      fail(call(), "the result holds \(result.count) elements, expected \(buffer.count)", file, line)
    }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer { out in
      result.withUnsafeMutableBufferPointer { into in
        MPI_Allreduce(out.baseAddress, into.baseAddress, n, T.mpiDatatype, op.mpiOp, handle)
      }
    }
    check(code, call(), file, line)
  }

  /// Validates `v` counts and turns them into MPI's counts and displacements.
  /// `total` is the root's buffer length (nil off the root, where MPI ignores them).
  func layout(
    _ counts: [Int], total: Int?, local: Int, _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt
  ) -> ([Int32], [Int32]) {
    guard counts.count == size else {
      fail(call(), "counts has \(counts.count) entries, expected one per rank (\(size))", file, line)
    }
    guard counts.allSatisfy({ $0 >= 0 }) else { fail(call(), "counts must not be negative", file, line) }
    if counts[rank] != local {
      fail(call(), "this rank's buffer holds \(local) elements but counts[\(rank)] is \(counts[rank])", file, line)
    }
    let sum = counts.reduce(0, +)
    if let total, total != sum {
      fail(call(), "the root's buffer holds \(total) elements but the counts add up to \(sum)", file, line)
    }
    var displacements: [Int32] = []
    var offset = 0
    for c in counts {
      displacements.append(mpiCount(offset, call(), file, line))
      offset += c
    }
    return (counts.map { mpiCount($0, call(), file, line) }, displacements)
  }
}
