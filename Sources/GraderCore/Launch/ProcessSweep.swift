import Foundation

/// Finds processes by the run ID in their environment, which every descendant
/// inherits, so "nothing left behind" is checked, not assumed.
public enum ProcessSweep {
  /// Process IDs whose environment holds `HPCGRADE_RUN_ID=<marker>`.
  public static func processes(marker: String) -> [pid_t] {
    let needle = Array("HPCGRADE_RUN_ID=\(marker)".utf8)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> pid_t? in
      guard let pid = pid_t(entry), pid != getpid(),
        let data = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
      else { return nil }
      let fields = data.split(separator: 0)
      return fields.contains { $0.elementsEqual(needle) } ? pid : nil
    }
  }

  /// Waits for the run's processes to go (the kernel is already killing them once
  /// the namespace's first process is gone: for a fork bomb's thousand, that takes a
  /// while), as long as their number keeps falling and at most `limit` seconds; then
  /// kills any still there and returns how many that was: the strays.
  @discardableResult
  public static func reap(marker: String, grace: Double = 1, limit: Double = 10) -> Int {
    let end = Date().addingTimeInterval(limit)
    var alive = processes(marker: marker)
    var fewest = alive.count
    var lastFall = Date()
    while !alive.isEmpty, Date() < end, Date().timeIntervalSince(lastFall) < grace {
      usleep(20_000)
      alive = processes(marker: marker)
      if alive.count < fewest {
        fewest = alive.count
        lastFall = Date()
      }
    }
    let strays = alive.count
    for _ in 0..<10 where !alive.isEmpty {
      for pid in alive { kill(pid, SIGKILL) }
      usleep(20_000)
      alive = processes(marker: marker)
    }
    return strays
  }
}
