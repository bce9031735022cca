import CMPI

/// A nonblocking operation in flight: a `SendRequest` or a `ReceiveRequest`, each
/// with its own `wait()`; `Request.waitAll` completes any mix of them.
///
///     Request.waitAll([comm.isend(buffer: a, to: 1), comm.irecv(Double.self, count: 9, from: 1)])
public class Request {
  var handle: MPI_Request?
  var isComplete = false
  let keepAlive: AnyObject?
  /// Describes the call for error messages; built only when one is needed.
  let call: () -> String
  let file: StaticString
  let line: UInt

  init(handle: MPI_Request?, keepAlive: AnyObject?, call: @escaping () -> String, file: StaticString, line: UInt) {
    self.handle = handle
    self.keepAlive = keepAlive
    self.call = call
    self.file = file
    self.line = line
  }

  /// Whether the operation has completed; never blocks, so it can be polled
  /// between pieces of work.
  ///
  ///     while !r.test() { doSomeWork() }
  public func test() -> Bool {
    if isComplete { return true }
    PendingObjectReceives.progress()
    return poll()
  }

  func complete() {
    if isComplete { return }
    if PendingObjectReceives.isEmpty, handle != nil {
      var status = MPI_Status()
      check(MPI_Wait(&handle, &status), call(), file, line)
      finish(status)
    } else {
      while !test() {}
    }
  }

  /// Blocks until every request has completed, in whatever order they finish.
  ///
  ///     Request.waitAll([sendRequest, receiveRequest])
  public static func waitAll(_ requests: [Request], file: StaticString = #fileID, line: UInt = #line) {
    recordCallSite(file, line)
    let open = requests.filter { !$0.isComplete }
    guard !open.isEmpty else { return }
    if PendingObjectReceives.isEmpty, open.allSatisfy({ $0.handle != nil }) {
      var handles = open.map { $0.handle }
      var statuses = [MPI_Status](repeating: MPI_Status(), count: open.count)
      let code = MPI_Waitall(Int32(open.count), &handles, &statuses)
      if code != MPI_SUCCESS {
        let failed = statuses.firstIndex { $0.MPI_ERROR != MPI_SUCCESS } ?? 0
        let reason = errorString(code == MPI_ERR_IN_STATUS ? statuses[failed].MPI_ERROR : code)
        fail("waitAll(\(open.count) requests) for \(open[failed].call())", reason, file, line)
      }
      for (request, status) in zip(open, statuses) {
        request.handle = nil
        request.finish(status)
      }
    } else {
      while !open.allSatisfy({ $0.test() }) {}
    }
  }

  /// One non-blocking attempt to complete.
  func poll() -> Bool {
    guard !isComplete else { return true }
    var flag: Int32 = 0
    var status = MPI_Status()
    check(MPI_Test(&handle, &flag, &status), call(), file, line)
    if flag != 0 { finish(status) }
    return isComplete
  }

  /// Called once when MPI reports completion; receives validate and take their data.
  func finish(_ status: MPI_Status) {
    isComplete = true
  }
}

/// A nonblocking send; the data may be reused once `wait()` returns.
///
///     let r = comm.isend(buffer: values, to: 1); compute(); r.wait()
public final class SendRequest: Request {
  /// Blocks until the send has completed.
  ///
  ///     r.wait()
  public func wait(file: StaticString = #fileID, line: UInt = #line) {
    recordCallSite(file, line)
    complete()
  }
}

/// A nonblocking receive; `wait()` returns what arrived.
///
///     let r = comm.irecv(String.self, from: 0); let s = r.wait()
public class ReceiveRequest<Value>: Request {
  var result: Value?

  /// Blocks until the message has arrived and returns it.
  ///
  ///     let values = r.wait()
  @discardableResult
  public func wait(file: StaticString = #fileID, line: UInt = #line) -> Value {
    recordCallSite(file, line)
    complete()
    return result!
  }

  /// The received value if the message has arrived, else nil; never blocks.
  ///
  ///     if let v = r.value { use(v) }
  public var value: Value? {
    _ = test()
    return result
  }
}

/// Receives into an array the request owns, handed over on completion.
final class BufferReceive<T: MPIScalar>: ReceiveRequest<[T]> {
  init(handle: MPI_Request?, storage: ArrayStorage<T>, call: @escaping () -> String, file: StaticString, line: UInt) {
    super.init(handle: handle, keepAlive: storage, call: call, file: file, line: line)
  }

  override func finish(_ status: MPI_Status) {
    let storage = keepAlive as! ArrayStorage<T>
    let got = status.count(of: T.mpiDatatype)
    if got != storage.array.count {
      let what = got.map { "\($0) elements" } ?? "a message that is not a whole number of \(T.self) values"
      fail(call(), "got \(what) from rank \(status.sourceRank), expected \(storage.array.count)", file, line)
    }
    result = storage.array
    super.finish(status)
  }
}

/// An object receive, whose size is unknown until a message matches: it is matched
/// with a probe whenever any request is tested or waited on.
final class ObjectReceive<T: Decodable>: ReceiveRequest<T> {
  let comm: MPI_Comm
  let source: Int32
  let tag: Int32

  init(comm: MPI_Comm, source: Int, tag: Int, call: @escaping () -> String, file: StaticString, line: UInt) {
    self.comm = comm
    self.source = Int32(clamping: source)
    self.tag = Int32(clamping: tag)
    super.init(handle: nil, keepAlive: nil, call: call, file: file, line: line)
    PendingObjectReceives.add(self)
  }

  override func poll() -> Bool {
    guard !isComplete else { return true }
    var flag: Int32 = 0
    var message: MPI_Message? = nil
    var status = MPI_Status()
    check(MPI_Improbe(source, tag, comm, &flag, &message, &status), call(), file, line)
    guard flag != 0 else { return false }
    let bytes = receiveMatched(&message, status, call(), file, line)
    result = ObjectCoding.decode(T.self, from: bytes, source: status.sourceRank, call(), file, line)
    isComplete = true
    PendingObjectReceives.remove(self)
    return true
  }
}

/// Object receives waiting for a message, polled in the order they were posted so
/// that MPI's message order is kept.
enum PendingObjectReceives {
  nonisolated(unsafe) private static var requests: [Request] = []

  static var isEmpty: Bool { requests.isEmpty }
  static func add(_ r: Request) { requests.append(r) }
  static func remove(_ r: Request) { requests.removeAll { $0 === r } }
  static func progress() {
    for r in requests { _ = r.poll() }
  }
}

/// Receives the bytes of a message matched by a probe.
func receiveMatched(
  _ message: inout MPI_Message?, _ status: MPI_Status, _ call: @autoclosure () -> String, _ file: StaticString,
  _ line: UInt
) -> [UInt8] {
  let count = status.count(of: cmpi_byte()) ?? 0
  var bytes = [UInt8](repeating: 0, count: count)
  var received = MPI_Status()
  check(MPI_Mrecv(&bytes, Int32(count), cmpi_byte(), &message, &received), call(), file, line)
  return bytes
}
