import Foundation

/// Stores `count` records, "record 0" … "record <count-1>", into `database` using
/// `workers` threads, and returns once every record is stored.
///
/// Storing one record means: `Database.simulateIO()` (0.1 s of waiting), then
/// `database.records.append("record <i>")`.
func storeRecords(count: Int, workers: Int, database: Database) {
  // TODO: start `workers` threads, give each a share of the records, protect
  // the append with a lock, and wait for every thread before returning.
  // This version ignores `workers` and works alone: correct, but slow.
  for i in 0..<count {
    Database.simulateIO()
    database.records.append("record \(i)")
  }
}
