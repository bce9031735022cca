import Foundation

// Trusted harness: runs the submission's `storeRecords`, then checks and times it.
// The worker count comes from HPCGRADE_THREADS (5 when run by hand), the record count
// from the first argument (5 by default).
let workers = Int(ProcessInfo.processInfo.environment["HPCGRADE_THREADS"] ?? "") ?? 5
let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5
let database = Database()

let clock = ContinuousClock()
let start = clock.now
storeRecords(count: count, workers: workers, database: database)
let elapsed = start.duration(to: clock.now)

let records = database.snapshot().sorted { $0.localizedStandardCompare($1) == .orderedAscending }
print("records: \(records.count)")
for record in records { print(record) }
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("elapsed: \(String(format: "%.4f", seconds)) s")
