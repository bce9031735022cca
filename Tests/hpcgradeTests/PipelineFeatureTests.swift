import Foundation
import GraderCore
import Testing
import TestSupport

/// Rubric features end to end: C submissions, programs without MPI, pinning,
/// stdin, and an interrupted grading.
@Suite struct PipelineFeatureTests {
  @Test func cProgramsAreCompiledWithMpiccAndGraded() throws {
    let fixture = try GradingFixture(rubric: """
      id: c-hello
      title: C hello
      language: c
      sources: [hello.c]
      cases:
        - name: three ranks
          ranks: 3
          checks:
            - output: {expected: "rank 0 of 3\\nrank 1 of 3\\nrank 2 of 3\\n"}
      """, files: ["hello.c": """
      #include <mpi.h>
      #include <stdio.h>
      int main(int argc, char **argv) {
        int rank, size;
        MPI_Init(&argc, &argv);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        printf("rank %d of %d\\n", rank, size);
        MPI_Finalize();
        return 0;
      }
      """])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    #expect(result.cases.first?.verdict == .passed)
  }

  static let affinityProgram = """
    import Foundation
    let status = try! String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = status.split(separator: "\\n").first { $0.hasPrefix("Cpus_allowed_list") }!
    print("cpus \\(line.split(separator: "\\t").last!)")
    print("threads \\(ProcessInfo.processInfo.environment["HPCGRADE_THREADS"] ?? "unset")")
    if let input = readLine() { print("sum \\(input.split(separator: " ").compactMap { Int($0) }.reduce(0, +))") }
    """

  @Test func aProgramWithoutMPIIsPinnedToItsThreadsAndGetsItsInput() throws {
    let fixture = try GradingFixture(rubric: """
      id: plain
      title: No MPI
      sources: [main.swift]
      cases:
        - name: one core
          ranks: 0
          threads: 1
          stdin: "3 4 5"
          checks:
            - output: {expected: "cpus 0\\nthreads 1\\nsum 12\\n"}
        - name: two cores
          ranks: 0
          threads: 2
          checks:
            - output: {expected: "cpus 0-1\\nthreads 2\\n"}
      """, files: ["main.swift": Self.affinityProgram])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    #expect(result.cases.map(\.verdict) == [.passed, .passed])
    #expect(result.cases.map { $0.outputs.first?.affinity } == ["0", "0-1"])
  }

  @Test func mpiRanksAreBoundToOneCoreEach() throws {
    let fixture = try GradingFixture(rubric: """
      id: bound
      title: Bound ranks
      sources: [main.swift]
      cases:
        - name: two ranks
          ranks: 2
          checks:
            - regex: "^cpus [0-9]+$"
              rank: each
      """, files: ["main.swift": "import MPI\n_ = MPI.world\n" + Self.affinityProgram])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    let affinities = result.cases.first?.outputs.map(\.affinity) ?? []
    #expect(Set(affinities) == ["0", "1"])
  }

  @Test func anInterruptedGradingLeavesAValidReportOfWhatWasDone() throws {
    let tag = "interrupt-\(UUID().uuidString)"
    let fixture = try GradingFixture(rubric: """
      id: interrupted
      title: Interrupted
      sources: [main.swift]
      cases:
        - name: quick
          ranks: 1
          checks: [{contains: "hello"}]
        - name: slow
          ranks: 1
          timeout: 120
          args: [\(tag)]
          checks: [{contains: "never"}]
      """, files: ["main.swift": "import MPI\nimport Foundation\n_ = MPI.world\nprint(\"hello\")\nfflush(stdout)\nif CommandLine.arguments.count > 1 { sleep(1000) }\n"])
    let junit = fixture.junit
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["grade", "--rubric", fixture.rubric.path, "--submission", fixture.submission.path, "--junit", junit.path]
    process.environment = ProcessInfo.processInfo.environment.merging(["HPCGRADE_CACHE": CLI.cache.path]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until the slow case is running: the report then holds the quick one.
    let deadline = Date().addingTimeInterval(60)
    while CLI.processes(runningFrom: tag).isEmpty, Date() < deadline { usleep(50_000) }
    usleep(300_000)
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(try JUnitSchemas.validate(file: junit) == [])
    let xml = try String(contentsOf: junit, encoding: .utf8)
    #expect(xml.contains("name=\"quick / contains &quot;hello&quot;\""))
    #expect(!xml.contains("name=\"slow"))
    usleep(500_000)
    #expect(CLI.processes(runningFrom: tag) == [])
  }
}
