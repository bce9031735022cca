// Mistake: no lock around the shared append. It usually gives the right records,
// which is what makes it dangerous; ThreadSanitizer sees the race every time.

import Foundation

func storeRecords(count: Int, workers: Int, database: Database) {
  let finished = DispatchGroup()
  for worker in 0..<max(workers, 1) {
    finished.enter()
    let thread = Thread {
      for i in stride(from: worker, to: count, by: max(workers, 1)) {
        Database.simulateIO()
        database.records.append("record \(i)")
      }
      finished.leave()
    }
    thread.start()
  }
  finished.wait()
}
