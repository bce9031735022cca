import CMPI

// The object API: any Codable value, serialized, like mpi4py's lower-case
// `send`/`recv`. Simple to use; slower than the buffer API for large data.
extension Communicator {
  /// Sends any `Codable` value to `dest`.
  ///
  ///     comm.send(["a": 1], to: 1, tag: 7)
  public func send<T: Encodable>(
    _ value: T, to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { "send(\(ObjectCoding.typeName(T.self)), to: \(dest), tag: \(tag))" }
    sendBytes(ObjectCoding.encode(value, call(), file, line), to: dest, tag: tag, synchronous: false, call(), file, line)
  }

  /// Sends synchronously: returns only once `dest` has started receiving.
  ///
  ///     comm.ssend("hi", to: 1)
  public func ssend<T: Encodable>(
    _ value: T, to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) {
    recordCallSite(file, line)
    let call = { "ssend(\(ObjectCoding.typeName(T.self)), to: \(dest), tag: \(tag))" }
    sendBytes(ObjectCoding.encode(value, call(), file, line), to: dest, tag: tag, synchronous: true, call(), file, line)
  }

  /// Receives a value of type `T`; a message holding another type stops the job
  /// with a message naming both types.
  ///
  ///     let s = comm.recv(String.self, from: 0)
  public func recv<T: Decodable>(
    _ type: T.Type, from source: Int = MPI.anySource, tag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) -> T {
    recvMessage(type, from: source, tag: tag, file: file, line: line).value
  }

  /// Receives a value together with the rank and tag it came with.
  ///
  ///     let m = comm.recvMessage(Int.self); print("\(m.value) from \(m.source)")
  public func recvMessage<T: Decodable>(
    _ type: T.Type, from source: Int = MPI.anySource, tag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Message<T> {
    recordCallSite(file, line)
    let call = { "recv(\(ObjectCoding.typeName(T.self)), from: \(source), tag: \(tag))" }
    var message: MPI_Message? = nil
    var status = MPI_Status()
    check(MPI_Mprobe(Int32(clamping: source), Int32(clamping: tag), handle, &message, &status), call(), file, line)
    let bytes = receiveMatched(&message, status, call(), file, line)
    let value = ObjectCoding.decode(T.self, from: bytes, source: status.sourceRank, call(), file, line)
    return Message(value: value, source: status.sourceRank, tag: status.messageTag)
  }

  /// Sends `value` to `dest` and receives one from `source`, without the deadlock
  /// two blocking sends can cause.
  ///
  ///     let left = comm.sendrecv(mine, to: right, from: left)
  public func sendrecv<T: Codable>(
    _ value: T, to dest: Int, sendTag: Int = 0, from source: Int = MPI.anySource,
    recvTag: Int = MPI.anyTag, file: StaticString = #fileID, line: UInt = #line
  ) -> T {
    recordCallSite(file, line)
    let sending = isend(value, to: dest, tag: sendTag, file: file, line: line)
    let received = recv(T.self, from: source, tag: recvTag, file: file, line: line)
    sending.wait()
    return received
  }

  /// Starts sending any `Codable` value.
  ///
  ///     let r = comm.isend(point, to: 1); r.wait()
  public func isend<T: Encodable>(
    _ value: T, to dest: Int, tag: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) -> SendRequest {
    recordCallSite(file, line)
    let call = { "isend(\(ObjectCoding.typeName(T.self)), to: \(dest), tag: \(tag))" }
    let storage = ArrayStorage(sending: ObjectCoding.encode(value, call(), file, line))
    var request: MPI_Request? = nil
    let count = mpiCount(storage.array.count, call(), file, line)
    check(
      MPI_Isend(storage.base, count, cmpi_byte(), Int32(clamping: dest), Int32(clamping: tag), handle, &request),
      call(), file, line)
    return SendRequest(handle: request, keepAlive: storage, call: call, file: file, line: line)
  }

  /// Starts receiving a value of type `T`; `wait()` returns it. The message is
  /// matched when this or any other request is tested or waited on.
  ///
  ///     let r = comm.irecv(String.self, from: 0); let s = r.wait()
  public func irecv<T: Decodable>(
    _ type: T.Type, from source: Int = MPI.anySource, tag: Int = MPI.anyTag,
    file: StaticString = #fileID, line: UInt = #line
  ) -> ReceiveRequest<T> {
    recordCallSite(file, line)
    let call = { "irecv(\(ObjectCoding.typeName(T.self)), from: \(source), tag: \(tag))" }
    if source != MPI.anySource, !(0..<size).contains(source) {
      fail(call(), "rank \(source) does not exist in a communicator of \(size) ranks", file, line)
    }
    return ObjectReceive<T>(comm: handle, source: source, tag: tag, call: call, file: file, line: line)
  }

  private func sendBytes(
    _ bytes: [UInt8], to dest: Int, tag: Int, synchronous: Bool, _ call: @autoclosure () -> String,
    _ file: StaticString, _ line: UInt
  ) {
    let count = mpiCount(bytes.count, call(), file, line)
    let code = bytes.withUnsafeBufferPointer {
      synchronous
        ? MPI_Ssend($0.baseAddress, count, cmpi_byte(), Int32(clamping: dest), Int32(clamping: tag), handle)
        : MPI_Send($0.baseAddress, count, cmpi_byte(), Int32(clamping: dest), Int32(clamping: tag), handle)
    }
    check(code, call(), file, line)
  }
}
