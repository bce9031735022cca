import Foundation

// Trusted harness: runs the submission's `storeRecords`, then checks and times it.
// The worker count comes from HPCGRADE_THREADS (5 when run by hand), the record count
// from the first argument (5 by default).
private let workers = Int(ProcessInfo.processInfo.environment["HPCGRADE_THREADS"] ?? "") ?? 5
private let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5
private let database = Database()

// A monotonic clock: the wall clock could be stepped while we measure.
private let clock = ContinuousClock()
private let start = clock.now
storeRecords(count: count, workers: workers, database: database)
private let elapsed = start.duration(to: clock.now)

// Sorted by record number, so the listing is the same whatever order the threads
// stored them in.
private let stored = database.records
private func number(_ record: String) -> Int { Int(record.dropFirst("record ".count)) ?? -1 }
print("records: \(stored.count)")
for record in stored.sorted(by: { (number($0), $0) < (number($1), $1) }) { print(record) }

// Every record exactly once?
private let expected = Set((0..<count).map { "record \($0)" })
private var seen: [String: Int] = [:]
for record in stored { seen[record, default: 0] += 1 }
private let missing = expected.subtracting(seen.keys).sorted(by: { number($0) < number($1) })
private let doubled = seen.filter { $0.value > 1 }.keys.sorted(by: { number($0) < number($1) })
private let unexpected = Set(seen.keys).subtracting(expected).sorted()
if missing.isEmpty && doubled.isEmpty && unexpected.isEmpty {
  print("check: every record stored exactly once")
} else {
  print("check: FAILED; missing \(missing), stored more than once \(doubled), not asked for \(unexpected)")
}

private let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("elapsed: \(String(format: "%.4f", seconds)) s")
