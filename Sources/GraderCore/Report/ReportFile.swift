import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a report could not be written; each names the path a user can go and look at.
public enum ReportFileError: Error, CustomStringConvertible, Equatable {
  case createTemporary(path: String, errno: Int32)
  case write(path: String, errno: Int32)
  case rename(from: String, to: String, errno: Int32)

  public var description: String {
    switch self {
    case .createTemporary(let path, let code):
      return "cannot create a temporary file for the report next to \(path): \(Self.reason(code))"
    case .write(let path, let code):
      return "cannot write the report to \(path): \(Self.reason(code))"
    case .rename(let from, let to, let code):
      return "cannot move the finished report \(from) to \(to): \(Self.reason(code))"
    }
  }

  static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Writes report files atomically: the bytes go to a temporary file in the same directory
/// (so the rename never crosses file systems), which is flushed to disk and then renamed
/// over the target. Callers rewrite the report after every finished case, so a grading
/// that is interrupted — Ctrl-C, a CI timeout, a power cut — leaves the previous complete
/// document or the new one, never half of one.
public enum ReportFile {
  public static func write(_ text: String, to path: String) throws(ReportFileError) {
    try write(Data(text.utf8), to: path)
  }

  public static func write(_ data: Data, to path: String) throws(ReportFileError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path

    // 0o666 less the umask, like any file the user creates; O_EXCL so no one else's file is reused.
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw .createTemporary(path: path, errno: errno) }
    var failure: ReportFileError?
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < buffer.count {
        let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { failure = .write(path: temporary, errno: n < 0 ? errno : EIO); return }
        offset += n
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = .write(path: temporary, errno: errno) }
    if close(fd) != 0 && failure == nil { failure = .write(path: temporary, errno: errno) }
    if let failure {
      unlink(temporary)
      throw failure
    }
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw .rename(from: temporary, to: path, errno: code)
    }
    // Make the rename itself durable; a failure here loses nothing already visible.
    let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
    if dirfd >= 0 {
      _ = fsync(dirfd)
      close(dirfd)
    }
  }
}

/// write(2), out here where `ReportFile.write` does not shadow it.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}
