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

  /// Kills every process of the run still alive and returns how many there were.
  @discardableResult
  public static func killAll(marker: String) -> Int {
    var found = 0
    for _ in 0..<10 {
      let alive = processes(marker: marker)
      if alive.isEmpty { break }
      found = max(found, alive.count)
      for pid in alive { kill(pid, SIGKILL) }
      usleep(10_000)
    }
    return found
  }
}
