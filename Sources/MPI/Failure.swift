import CMPI

#if canImport(Glibc)
  import Glibc
#endif

/// Stops the job after one line that names the call, the rank, the reason and the
/// caller's line; MPI_Abort so no rank is left waiting for this one.
@usableFromInline
func fail(_ call: String, _ reason: String, _ file: StaticString, _ line: UInt) -> Never {
  var rank: Int32 = -1
  var finalized: Int32 = 0
  MPI_Finalized(&finalized)
  if finalized == 0 { MPI_Comm_rank(cmpi_comm_world(), &rank) }
  let message = "MPI error: rank \(rank), \(call) at \(sourceName(file)):\(line): \(reason)\n"
  writeToStandardError(message)
  if finalized == 0 { MPI_Abort(cmpi_comm_world(), 1) }
  exit(1)
}

/// Unbuffered, so the line is out before MPI_Abort kills the process.
func writeToStandardError(_ text: String) {
  var bytes = Array(text.utf8)[...]
  while !bytes.isEmpty {
    let written = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    guard written > 0 else { return }
    bytes = bytes.dropFirst(written)
  }
}

/// Checks an MPI return code; the message is only built on failure.
@inline(__always)
func check(
  _ code: Int32, _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt
) {
  if code != MPI_SUCCESS { fail(call(), errorString(code), file, line) }
}

/// MPI's own text for an error code, e.g. "MPI_ERR_RANK: invalid rank".
func errorString(_ code: Int32) -> String {
  var buffer = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
  var length: Int32 = 0
  MPI_Error_string(code, &buffer, &length)
  return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `#fileID` is "Module/file.swift"; students know their files by name alone.
func sourceName(_ fileID: StaticString) -> String {
  let id = "\(fileID)"
  guard let slash = id.lastIndex(of: "/") else { return id }
  return String(id[id.index(after: slash)...])
}

/// MPI counts are 32-bit; a larger buffer is a clear error, not a trap.
@inline(__always)
func mpiCount(_ count: Int, _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt)
  -> Int32
{
  guard let c = Int32(exactly: count) else {
    fail(call(), "\(count) elements exceed MPI's limit of \(Int32.max) per message", file, line)
  }
  return c
}

/// Where the MPI call in progress was made, for the grader's probe: a record with
/// the C layout `struct { const char *file_id; long line; }`, found through the
/// exported `hpcgrade_mpi_call_site`. Two stores per call; nothing reads it unless
/// the probe is loaded.
struct CallSiteRecord {
  var fileID: UnsafePointer<UInt8>?
  var line: Int
}

nonisolated(unsafe) let callSiteRecord: UnsafeMutablePointer<CallSiteRecord> = {
  let record = UnsafeMutablePointer<CallSiteRecord>.allocate(capacity: 1)
  record.initialize(to: CallSiteRecord(fileID: nil, line: 0))
  return record
}()

@inline(__always)
func recordCallSite(_ file: StaticString, _ line: UInt) {
  callSiteRecord.pointee = CallSiteRecord(fileID: file.hasPointerRepresentation ? file.utf8Start : nil, line: Int(line))
}

/// The probe looks this up by name in the executable (`dlsym`) at start-up.
@_cdecl("hpcgrade_mpi_call_site")
public func hpcgradeMPICallSite() -> UnsafeMutableRawPointer {
  UnsafeMutableRawPointer(callSiteRecord)
}
