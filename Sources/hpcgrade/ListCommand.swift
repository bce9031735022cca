import ArgumentParser
import GraderCore

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the exercises, their cases and points.")

  @OptionGroup var common: CommonOptions

  func run() throws {
    for rubric in try common.workspace().allRubrics() {
      print("\(rubric.id) · \(rubric.title) · \(format(rubric.totalPoints)) points")
      for c in rubric.cases {
        let ranks = c.ranks == 0 ? "no MPI" : "\(c.ranks) rank\(c.ranks == 1 ? "" : "s")"
        print("  \(c.name)  [\(ranks), \(c.threads) thread\(c.threads == 1 ? "" : "s")]  \(format(c.points)) pt\(c.visibility == .hidden ? "  hidden" : "")")
      }
    }
  }
}

func format(_ value: Double) -> String {
  value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
}
