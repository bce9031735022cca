// Mistake: the lock is held during the slow I/O too, so the threads take turns
// waiting: safe, but no faster than one thread.

import Foundation

func storeRecords(count: Int, workers: Int, database: Database) {
  let lock = NSLock()
  let finished = DispatchGroup()
  for worker in 0..<max(workers, 1) {
    finished.enter()
    let thread = Thread {
      for i in stride(from: worker, to: count, by: max(workers, 1)) {
        lock.lock()
        Database.simulateIO()
        database.records.append("record \(i)")
        lock.unlock()
      }
      finished.leave()
    }
    thread.start()
  }
  finished.wait()
}
