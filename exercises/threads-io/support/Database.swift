import Foundation

/// A shared in-memory store that does no locking of its own: keeping it consistent
/// when several threads write is the exercise. Trusted file, compiled with every
/// submission.
final class Database: @unchecked Sendable {
  /// The stored records, in storage order (the harness sorts them for printing).
  /// Not thread-safe: two threads appending at once is a data race, which can lose
  /// records or corrupt the array. Guard every access made while workers run.
  var records: [String] = []

  init() { records.reserveCapacity(1024) }

  /// The slow part of storing a record, standing in for a disk or network write:
  /// 0.1 s of waiting. It touches nothing shared; call it before taking a lock.
  static func simulateIO() { usleep(100_000) }
}
