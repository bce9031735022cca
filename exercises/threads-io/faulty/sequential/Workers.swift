// Mistake: each thread is waited for right after it starts, so only one ever runs.

import Foundation

func storeRecords(count: Int, workers: Int, database: Database) {
  let lock = NSLock()
  for worker in 0..<max(workers, 1) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      for i in stride(from: worker, to: count, by: max(workers, 1)) {
        Database.simulateIO()
        lock.lock()
        database.records.append("record \(i)")
        lock.unlock()
      }
      done.signal()
    }
    thread.start()
    done.wait()
  }
}
