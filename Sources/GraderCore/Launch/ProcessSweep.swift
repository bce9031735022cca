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

extension ProcessSweep {
  /// Process IDs whose real, effective, saved or filesystem UID is `uid`.
  public static func processes(uid: UInt32) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    let wanted = String(uid)
    return entries.compactMap { entry -> pid_t? in
      guard let pid = pid_t(entry), pid != getpid(),
        let data = FileManager.default.contents(atPath: "/proc/\(entry)/status"),
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("Uid:") })
      else { return nil }
      return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().contains { $0 == wanted } ? pid : nil
    }
  }

  /// Kills every process of a run user until none is left (a fork bomb refills
  /// the gaps while it can), for at most `limit` seconds; returns how many it killed.
  @discardableResult
  public static func killAll(uid: UInt32, limit: Double = 10) -> Int {
    let end = Date().addingTimeInterval(limit)
    var killed = 0
    var alive = processes(uid: uid)
    while !alive.isEmpty, Date() < end {
      for pid in alive { kill(pid, SIGKILL) }
      killed += alive.count
      usleep(10_000)
      alive = processes(uid: uid)
    }
    return killed
  }
}
