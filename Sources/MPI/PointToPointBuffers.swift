import CMPI

// The buffer API: arrays of scalars sent as raw memory, no copy, like mpi4py's
// upper-case `Send`/`Recv`.
extension Communicator {
  /// Sends an array's elements to `dest`; returns once the array may be reused.
  ///
  ///     comm.send(buffer: values, to: 1)
  public func send<T: MPIScalar>(
    buffer: [T], to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count] in "send(buffer: [\(T.self)] × \(bufferCount), to: \(dest), tag: \(tag))" }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer {
      MPI_Send($0.baseAddress, n, T.mpiDatatype, Int32(clamping: dest), Int32(clamping: tag), handle)
    }
    check(code, call(), file, line)
  }

  /// Sends synchronously: returns only once `dest` has started receiving, so code
  /// that relies on MPI's buffering fails here the same way on every machine.
  ///
  ///     comm.ssend(buffer: values, to: 1)
  public func ssend<T: MPIScalar>(
    buffer: [T], to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count] in "ssend(buffer: [\(T.self)] × \(bufferCount), to: \(dest), tag: \(tag))" }
    let n = mpiCount(buffer.count, call(), file, line)
    let code = buffer.withUnsafeBufferPointer {
      MPI_Ssend($0.baseAddress, n, T.mpiDatatype, Int32(clamping: dest), Int32(clamping: tag), handle)
    }
    check(code, call(), file, line)
  }

  /// Receives exactly `buffer.count` elements into `buffer`, in place; a message of
  /// another length or element type stops the job with a clear message.
  ///
  ///     var values = [Double](repeating: 0, count: 100); comm.recv(into: &values, from: 0)
  @discardableResult
  public func recv<T: MPIScalar>(
    into buffer: inout [T], from source: Int = MPI.anySource, tag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) -> (source: Int, tag: Int) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count] in "recv(into: [\(T.self)] × \(bufferCount), from: \(source), tag: \(tag))" }
    let n = mpiCount(buffer.count, call(), file, line)
    var status = MPI_Status()
    let code = buffer.withUnsafeMutableBufferPointer {
      MPI_Recv($0.baseAddress, n, T.mpiDatatype, Int32(clamping: source), Int32(clamping: tag), handle, &status)
    }
    check(code, call(), file, line)
    expectCount(status, buffer.count, T.self, call(), file, line)
    return (status.sourceRank, status.messageTag)
  }

  /// Sends `buffer` to `dest` and receives into `receive` from `source` in one call,
  /// which cannot deadlock the way two blocking sends can.
  ///
  ///     comm.sendrecv(buffer: mine, to: right, into: &theirs, from: left)
  public func sendrecv<T: MPIScalar>(
    buffer: [T], to dest: Int, sendTag: Int = 0,
    into receive: inout [T], from source: Int = MPI.anySource, recvTag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count, receiveCount = receive.count] in
      "sendrecv(buffer: [\(T.self)] × \(bufferCount), to: \(dest), into: [\(T.self)] × \(receiveCount), from: \(source))"
      }
    let sendCount = mpiCount(buffer.count, call(), file, line)
    let recvCount = mpiCount(receive.count, call(), file, line)
    var status = MPI_Status()
    let code = buffer.withUnsafeBufferPointer { out in
      receive.withUnsafeMutableBufferPointer { into in
        MPI_Sendrecv(
          out.baseAddress, sendCount, T.mpiDatatype, Int32(clamping: dest), Int32(clamping: sendTag),
          into.baseAddress, recvCount, T.mpiDatatype, Int32(clamping: source), Int32(clamping: recvTag),
          handle, &status)
      }
    }
    check(code, call(), file, line)
    expectCount(status, receive.count, T.self, call(), file, line)
  }

  /// Starts sending `buffer`; the request keeps the array alive until it completes.
  ///
  ///     let r = comm.isend(buffer: values, to: 1); r.wait()
  public func isend<T: MPIScalar>(
    buffer: [T], to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) -> SendRequest {
    recordCallSite(file, line)
    let call = { [bufferCount = buffer.count] in "isend(buffer: [\(T.self)] × \(bufferCount), to: \(dest), tag: \(tag))" }
    let n = mpiCount(buffer.count, call(), file, line)
    let storage = ArrayStorage(sending: buffer)
    var request: MPI_Request? = nil
    check(
      MPI_Isend(storage.base, n, T.mpiDatatype, Int32(clamping: dest), Int32(clamping: tag), handle, &request),
      call(), file, line)
    return SendRequest(handle: request, keepAlive: storage, call: call, file: file, line: line)
  }

  /// Starts receiving `count` elements; `wait()` returns them.
  ///
  ///     let r = comm.irecv(Double.self, count: 100, from: 0); let values = r.wait()
  public func irecv<T: MPIScalar>(
    _ type: T.Type, count: Int, from source: Int = MPI.anySource, tag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) -> ReceiveRequest<[T]> {
    recordCallSite(file, line)
    let call = { "irecv([\(T.self)] × \(count), from: \(source), tag: \(tag))" }
    let n = mpiCount(count, call(), file, line)
    let storage = ArrayStorage(receiving: [T](repeating: T.zeroBits, count: count))
    var request: MPI_Request? = nil
    check(
      MPI_Irecv(storage.base, n, T.mpiDatatype, Int32(clamping: source), Int32(clamping: tag), handle, &request),
      call(), file, line)
    return BufferReceive(handle: request, storage: storage, call: call, file: file, line: line)
  }

  func expectCount<T: MPIScalar>(
    _ status: MPI_Status, _ expected: Int, _ type: T.Type, _ call: @autoclosure () -> String, _ file: StaticString,
    _ line: UInt
  ) {
    let got = status.count(of: T.mpiDatatype)
    if got != expected {
      let what = got.map { "\($0) elements" } ?? "a message that is not a whole number of \(T.self) values"
      fail(call(), "got \(what) from rank \(status.sourceRank), expected \(expected) \(T.self) values", file, line)
    }
  }
}

extension MPIScalar {
  /// All bits zero: a valid value for every scalar type, used to pre-size receives.
  static var zeroBits: Self {
    withUnsafeTemporaryAllocation(of: Self.self, capacity: 1) { p in
      let raw = UnsafeMutableRawPointer(p.baseAddress!)
      raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Self>.size)
      return p[0]
    }
  }
}

/// An array pinned for the lifetime of a nonblocking call: MPI holds its address,
/// and nothing mutates `array` while MPI owns it, so the address stays valid.
final class ArrayStorage<T>: @unchecked Sendable {
  var array: [T]
  let base: UnsafeMutableRawPointer?

  /// Shares the caller's storage: copy-on-write gives the caller a copy if it
  /// mutates its array before the send completes.
  init(sending array: [T]) {
    self.array = array
    base = array.withUnsafeBufferPointer { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
  }

  /// Owns a fresh array that MPI writes into.
  init(receiving array: [T]) {
    self.array = array
    base = self.array.withUnsafeMutableBufferPointer { UnsafeMutableRawPointer($0.baseAddress) }
  }
}
