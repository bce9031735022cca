import Foundation

/// Stores `count` records, "record 0" … "record <count-1>", into `database` using
/// `workers` threads, and returns once every record is stored.
func storeRecords(count: Int, workers: Int, database: Database) {
  let lock = NSLock()
  let finished = DispatchGroup()
  for worker in 0..<max(workers, 1) {
    finished.enter()
    let thread = Thread {
      // Worker w stores records w, w + workers, w + 2·workers, …
      for i in stride(from: worker, to: count, by: max(workers, 1)) {
        Database.simulateIO()  // the slow part runs in parallel, outside the lock
        lock.lock()
        database.records.append("record \(i)")  // one thread at a time
        lock.unlock()
      }
      finished.leave()
    }
    thread.start()
  }
  finished.wait()
}
