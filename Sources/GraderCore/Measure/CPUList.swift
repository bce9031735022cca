import Foundation

/// The kernel's CPU list format (`Cpus_allowed_list`: "0", "0-3", "0,2-3"), counted, so
/// a timing can prove it ran on the cores it asked for.
public enum CPUList {
  /// The number of CPUs listed, or nil when the text is not a CPU list.
  public static func count(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return nil }
    var total = 0
    for part in trimmed.split(separator: ",") {
      let bounds = part.split(separator: "-").map { Int($0) }
      switch bounds.count {
      case 1:
        guard bounds[0] != nil else { return nil }
        total += 1
      case 2:
        guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }
        total += high - low + 1
      default:
        return nil
      }
    }
    return total
  }
}
