import Foundation

/// Reading program output without trusting its size: a file is read up to a cap
/// (the rest counted and noted), and a live stream keeps its head and its tail,
/// since mpirun's crash notices come last.
enum CappedOutput {
  /// The first `cap` bytes of a file, invalid UTF-8 repaired, plus a note of what was dropped.
  static func read(_ url: URL, cap: Int) -> (text: String, truncated: Bool) {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return ("", false) }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: cap)) ?? Data()
    let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? head.count
    var text = String(decoding: head, as: UTF8.self)
    let dropped = total - head.count
    if dropped > 0 { text += "\n[… \(dropped) more bytes dropped: output cap of \(cap) bytes reached …]\n" }
    return (text, dropped > 0)
  }
}

/// Collects a pipe's bytes, keeping the first and last `cap` bytes only.
final class HeadTailBuffer: @unchecked Sendable {
  private let lock = NSLock()
  private let cap: Int
  private var head: [UInt8] = []
  private var tail: [UInt8] = []
  private var dropped = 0

  init(cap: Int) { self.cap = cap }

  func append(_ chunk: ArraySlice<UInt8>) {
    lock.lock()
    defer { lock.unlock() }
    let room = max(0, cap - head.count)
    head.append(contentsOf: chunk.prefix(room))
    tail.append(contentsOf: chunk.dropFirst(room))
    if tail.count > 2 * cap {
      dropped += tail.count - cap
      tail.removeFirst(tail.count - cap)
    }
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    let note = dropped > 0 ? "\n[… \(dropped) bytes dropped …]\n" : ""
    return String(decoding: head, as: UTF8.self) + note + String(decoding: tail, as: UTF8.self)
  }
}
