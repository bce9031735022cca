import Foundation

/// A shared in-memory store that does no locking of its own: keeping it consistent
/// when several threads write is the exercise. Trusted file, compiled with every
/// submission.
final class Database: @unchecked Sendable {
  private var records: [String] = []

  init() { records.reserveCapacity(1024) }

  /// The slow part of storing a record, standing in for a disk or network write:
  /// 0.1 s of waiting. It needs no lock; call it before taking one.
  static func simulateIO() { usleep(100_000) }

  /// Appends one record. Not thread-safe: two threads calling it at once race.
  func unsafeAppend(_ record: String) { records.append(record) }

  /// What was stored, in storage order (the harness sorts it).
  func snapshot() -> [String] { records }
}
