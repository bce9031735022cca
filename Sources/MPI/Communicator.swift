import CMPI

/// A group of ranks that talk to each other, like mpi4py's `Comm`.
///
///     let comm = MPI.world; print(comm.rank, comm.size)
public struct Communicator: @unchecked Sendable {
  let handle: MPI_Comm

  /// This process's number, from 0 to `size - 1`.
  ///
  ///     if comm.rank == 0 { print("root") }
  public let rank: Int

  /// The number of ranks.
  ///
  ///     let last = comm.size - 1
  public let size: Int

  init(handle: MPI_Comm) {
    self.handle = handle
    var r: Int32 = 0
    var s: Int32 = 0
    MPI_Comm_rank(handle, &r)
    MPI_Comm_size(handle, &s)
    rank = Int(r)
    size = Int(s)
  }

  /// Waits until every rank has called it.
  ///
  ///     comm.barrier()
  public func barrier(file: StaticString = #fileID, line: UInt = #line) {
    recordCallSite(file, line)
    check(MPI_Barrier(handle), "barrier()", file, line)
  }

  /// Splits `total` items into one count per rank, the first `total % size` ranks
  /// getting one more: the counts the `v` collectives expect.
  ///
  ///     let counts = comm.evenCounts(10)  // [4, 3, 3] on 3 ranks
  public func evenCounts(_ total: Int) -> [Int] {
    (0..<size).map { total / size + ($0 < total % size ? 1 : 0) }
  }
}

/// The source and tag of a received message, for receives from any source or tag.
///
///     let m = comm.recvMessage(String.self); print(m.source, m.tag)
public struct Message<Value> {
  /// The received value.
  public let value: Value
  /// The rank that sent it.
  public let source: Int
  /// The tag it was sent with.
  public let tag: Int
}

extension MPI_Status {
  var sourceRank: Int { Int(MPI_SOURCE) }
  var messageTag: Int { Int(MPI_TAG) }

  /// Elements of `type` received, or nil when the byte count is not a whole number
  /// of them (the sender used another type).
  func count(of type: MPI_Datatype) -> Int? {
    var status = self
    var n: Int32 = 0
    MPI_Get_count(&status, type, &n)
    return n == MPI_UNDEFINED ? nil : Int(n)
  }
}
