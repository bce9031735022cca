import ArgumentParser
import Foundation
import GraderCore

/// The CLI: argument parsing and the choice of reporter; the core decides the rest.
@main
struct HPCGrade: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hpcgrade",
    abstract: "Grade Swift and C MPI exercises: build, run on N ranks, diagnose, judge, report.",
    discussion: "Exit status: 0 all passed, 1 some check failed, 2 usage or configuration error.",
    subcommands: [ListCommand.self, CheckCommand.self, GradeCommand.self, ValidateCommand.self])

  /// Usage and configuration errors exit 2, not ArgumentParser's 64.
  static func main() {
    Interrupts.install()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      Foundation.exit(code.rawValue)
    } catch {
      let message = fullMessage(for: error)
      let status = exitCode(for: error)
      if status == .success {
        print(message)
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data(("hpcgrade: " + message + "\n").utf8))
      Foundation.exit(2)
    }
  }
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
  @Option(help: "Folder of rubric YAML files (default: rubrics/ of the checkout).")
  var rubrics: String?

  @Option(help: "Build cache folder (default: $HPCGRADE_CACHE or ~/.cache/hpcgrade).")
  var cache: String?

  @Flag(help: "No ANSI colors (also when NO_COLOR is set).")
  var noColor = false

  func workspace() throws -> Workspace { try Workspace.current(rubrics: rubrics, cache: cache) }

  func summary(showHidden: Bool) -> TerminalSummary {
    TerminalSummary(color: TerminalSummary.wantsColor(noColorFlag: noColor), showHidden: showHidden)
  }
}

/// Ctrl-C or a CI cancel: stop the running program and leave; the report files
/// already hold every finished case.
enum Interrupts {
  nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

  static func install() {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        ActiveRuns.shared.killAll()
        FileHandle.standardError.write(Data("hpcgrade: interrupted; reports hold the cases finished so far\n".utf8))
        Foundation.exit(130)
      }
      source.resume()
      sources.append(source)
    }
  }
}
