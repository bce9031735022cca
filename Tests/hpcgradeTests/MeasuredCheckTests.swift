import Foundation
import GraderCore
import Testing
import TestSupport

/// Speed, scaling and race checks through the real CLI, on real programs. `scripts/test`
/// runs this suite on its own after the others, so its timings are not taken on a
/// machine busy with the rest of the tests.
@Suite(.serialized) struct MeasuredCheckTests {
  /// Both versions print the same sum; the naive one pays for boxing every element.
  static let fastSum = """
    let values = (0..<5_000_000).map { Double($0 % 7) }
    var total = 0.0
    values.withUnsafeBufferPointer { buffer in
      for x in buffer { total += x }
    }
    print("sum \\(total)")
    """
  static let naiveSum = """
    let values = (0..<5_000_000).map { Double($0 % 7) }
    let boxed: [Any] = values.map { $0 as Any }
    var total = 0.0
    for item in boxed { total += item as! Double }
    print("sum \\(total)")
    """
  static let summationRubric = """
    id: summation
    title: Summation
    sources: [main.swift]
    cases:
      - name: sum
        ranks: 0
        points: 3
        checks:
          - output: {expected: "sum 14999995.0\\n"}
            points: 1
          - speed: {baseline: naive, speedup: 3}
            points: 2
    """

  @Test func theFastSummationIsAtLeastThreeTimesFasterThanTheNaiveOne() throws {
    let fixture = try GradingFixture(
      rubric: Self.summationRubric, files: ["main.swift": Self.fastSum], others: ["naive/main.swift": Self.naiveSum])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    let check = try #require(result.cases.first?.checks.last)
    #expect(check.verdict == .passed)
    #expect(check.points == 2)
    let timing = try #require(check.timing)
    #expect(timing.speedup >= 3)
    #expect(timing.subject.count >= 7 && timing.other.count == timing.subject.count)
    // Pinned to one core, and the report says which.
    #expect(timing.affinity.count == 1)
    #expect(timing.affinity.allSatisfy { CPUList.count(String($0.split(separator: " ").last!)) == 1 })
    #expect(run.stdout.contains("measured: "))
    let junit = try String(contentsOf: fixture.junit, encoding: .utf8)
    #expect(junit.contains("sum.speed: at least 3× faster than the baseline (naive).speedup"))
  }

  @Test func theNaiveSummationIsTooSlowWithTheRatioInTheReport() throws {
    let fixture = try GradingFixture(
      rubric: Self.summationRubric, files: ["main.swift": Self.naiveSum], others: ["naive/main.swift": Self.naiveSum])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 1)
    let c = try #require(result.cases.first)
    #expect(c.verdict == .tooSlow)
    #expect(c.points == 1, "the output check keeps its point")
    let check = try #require(c.checks.last)
    let timing = try #require(check.timing)
    #expect(timing.speedup < 3)
    #expect(check.message.contains(String(format: "%.2f×", timing.speedup)) || check.message.contains("the time"))
    #expect(check.message.contains("at least 3× faster"))
    #expect(try String(contentsOf: fixture.junit, encoding: .utf8).contains("type=\"too-slow\""))
  }

  @Test func aProgramThatSleepsARandomTimeIsInconclusive() throws {
    let sleeper = """
      import Foundation
      usleep(UInt32.random(in: 0...200_000))
      print("ok")
      """
    let steady = """
      import Foundation
      usleep(100_000)
      print("ok")
      """
    let fixture = try GradingFixture(rubric: """
      id: noisy
      title: Noisy
      sources: [main.swift]
      cases:
        - name: sleep
          ranks: 0
          checks:
            - contains: ok
            - speed: {baseline: steady, speedup: 1, max_runs: 9, confidence: 0.99}
      """, files: ["main.swift": sleeper], others: ["steady/main.swift": steady])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 1, "inconclusive is not a pass")
    let c = try #require(result.cases.first)
    #expect(c.verdict == .inconclusive)
    let check = try #require(c.checks.last)
    // Its median equals the steady program's, so "at least as fast" cannot be told;
    // a pass needs all nine sleeps shorter than 100 ms (a chance of 1 in 512).
    #expect(check.message.contains("99 % confidence interval") && check.message.contains("still holds the bound"))
    #expect(check.timing?.subject.count == 9, "it kept measuring up to max_runs before giving up")
    #expect(check.points == 0)
    let junit = try String(contentsOf: fixture.junit, encoding: .utf8)
    #expect(junit.contains("<skipped message=\"inconclusive: no verdict after 9 runs each"), "neither pass nor failure")
  }

  @Test func askingForMoreCoresThanTheMachineHasIsInconclusiveNotAFailure() throws {
    let fixture = try GradingFixture(rubric: """
      id: greedy
      title: Greedy
      sources: [main.swift]
      cases:
        - name: many threads
          ranks: 0
          threads: 512
          checks:
            - contains: ok
            - scaling: {threads: 1, within: 0.5}
      """, files: ["main.swift": "print(\"ok\")\n"])
    let (_, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    let check = try #require(result.cases.first?.checks.last)
    #expect(check.verdict == .inconclusive)
    #expect(check.message.contains("needs 512 cores"))
    #expect(check.message.contains("not the submission's fault"))
  }

  /// Workers that sleep 0.1 s each: N threads finish in about 0.1 s, one in N × 0.1 s.
  static let workers = """
    import Foundation
    let threads = Int(ProcessInfo.processInfo.environment["HPCGRADE_THREADS"] ?? "4") ?? 4
    let jobs = 4
    let start = ContinuousClock.now
    let workers = (0..<threads).map { worker in
      Thread { for _ in stride(from: worker, to: jobs, by: threads) { usleep(100_000) } }
    }
    workers.forEach { $0.start() }
    while !workers.allSatisfy(\\.isFinished) { usleep(1000) }
    let elapsed = start.duration(to: .now)
    print("jobs done")
    print("elapsed: \\(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)) s")
    """

  @Test func scalingComparesTheCaseWithFewerThreadsUsingTheProgramsOwnTiming() throws {
    let fixture = try GradingFixture(rubric: """
      id: scaling
      title: Scaling
      sources: [main.swift]
      cases:
        - name: four workers
          ranks: 0
          threads: 4
          pinning: none
          checks:
            - contains: jobs done
            - scaling: {threads: 1, within: 0.4, measure: 'elapsed: ([0-9.eE+-]+) s', runs: 3}
      """, files: ["main.swift": Self.workers])
    let (_, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    let check = try #require(result.cases.first?.checks.last)
    #expect(check.verdict == .passed, "\(check.message)")
    let timing = try #require(check.timing)
    #expect(timing.subject.median < 0.2 && timing.other.median > 0.35, "\(timing.summary)")
  }

  static let counterRubric = """
    id: counter
    title: Counter
    sources: [main.swift]
    cases:
      - name: count
        ranks: 0
        threads: 4
        pinning: none
        checks:
          - contains: done
          - race_free: true
    """

  @Test func aRacyCounterGetsRaceAtTheLineOfTheIncrement() throws {
    let racy = """
      import Foundation

      final class Counter: @unchecked Sendable { var value = 0 }
      let counter = Counter()
      let threads = (0..<4).map { _ in
        Thread {
          for _ in 0..<1000 {
            counter.value += 1
          }
        }
      }
      threads.forEach { $0.start() }
      while !threads.allSatisfy(\\.isFinished) { usleep(1000) }
      print("done")
      """
    let fixture = try GradingFixture(rubric: Self.counterRubric, files: ["main.swift": racy])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 1)
    let c = try #require(result.cases.first)
    #expect(c.verdict == .race)
    let check = try #require(c.checks.last)
    // ThreadSanitizer words it as a data race or, for Swift's exclusivity markers (which
    // carry no line), as an access race; either way a line of the increment is named.
    #expect(check.message.contains("race: thread T"), "\(check.message)")
    #expect(check.message.contains("at main.swift:8:"), "\(check.message)")
    let races = try #require(check.races)
    #expect(races.first?.accesses.count == 2)
    #expect(races.first?.accesses.allSatisfy { $0.site?.hasPrefix("main.swift") == true } == true)
    #expect(check.message.count < 400, "a summary, not a page of stacks")
    #expect(c.reproduce.contains("-sanitize=thread -g main.swift"), "the rerun line builds with ThreadSanitizer")
    #expect(try String(contentsOf: fixture.junit, encoding: .utf8).contains("type=\"race\""))
  }

  @Test func theSameCounterWithALockPasses() throws {
    let locked = """
      import Foundation

      final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func increment() { lock.lock(); value += 1; lock.unlock() }
        var current: Int { lock.lock(); defer { lock.unlock() }; return value }
      }
      let counter = Counter()
      let threads = (0..<4).map { _ in
        Thread {
          for _ in 0..<1000 { counter.increment() }
        }
      }
      threads.forEach { $0.start() }
      while !threads.allSatisfy(\\.isFinished) { usleep(1000) }
      print("done \\(counter.current)")
      """
    let fixture = try GradingFixture(rubric: Self.counterRubric, files: ["main.swift": locked])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    #expect(result.cases.first?.checks.last?.verdict == .passed)
    #expect(result.cases.first?.checks.last?.races == [])
  }

  @Test func aWrongAnswerCausedByARaceIsReportedAsTheRace() throws {
    // Lost updates may or may not happen in a given run; the verdict is race either way.
    let racy = """
      import Foundation

      final class Counter: @unchecked Sendable { var value = 0 }
      let counter = Counter()
      let threads = (0..<4).map { _ in
        Thread { for _ in 0..<100_000 { counter.value += 1 } }
      }
      threads.forEach { $0.start() }
      while !threads.allSatisfy(\\.isFinished) { usleep(1000) }
      print("count \\(counter.value)")
      """
    let rubric = Self.counterRubric.replacingOccurrences(of: "- contains: done", with: "- contains: count 400000")
    let (_, result, _) = try GradingFixture(rubric: rubric, files: ["main.swift": racy]).grade()
    #expect(result.cases.first?.verdict == .race)
    let message = try #require(result.cases.first?.checks.last?.message)
    #expect(message.contains("main.swift:6:"), "\(message)")

    // Wrong without any race: the race check finds nothing and scores nothing.
    let wrong = "print(\"count 3\")\n"
    let (_, wrongResult, _) = try GradingFixture(rubric: rubric, files: ["main.swift": wrong]).grade()
    let c = try #require(wrongResult.cases.first)
    #expect(c.verdict == .wrongAnswer)
    #expect(c.points == 0)
    #expect(c.checks.last?.verdict == .skipped)
    #expect(c.checks.last?.message == "no data race found, but the case's other checks failed")
  }

  @Test func aRunPinnedToOneCoreSeesExactlyOneCPUUnderMPIToo() throws {
    let fixture = try GradingFixture(rubric: """
      id: pinned
      title: Pinned
      sources: [main.swift]
      cases:
        - name: one rank
          ranks: 1
          checks:
            - regex: '^cpus [0-9]+$'
      """, files: ["main.swift": """
      import Foundation
      import MPI
      _ = MPI.world.rank
      // The kernel's view of where this process may run.
      let status = try! String(contentsOfFile: "/proc/self/status", encoding: .utf8)
      let line = status.split(separator: "\\n").first { $0.hasPrefix("Cpus_allowed_list") }!
      print("cpus \\(line.split(separator: "\\t").last!)")
      """])
    let (run, result, schemaErrors) = try fixture.grade()
    #expect(schemaErrors == [])
    #expect(run.status == 0, "\(run.stdout)")
    let output = try #require(result.cases.first?.outputs.first)
    let seen = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "cpus ", with: "")
    #expect(CPUList.count(seen) == 1, "the program saw \(seen)")
    #expect(output.affinity == seen, "the report records the CPU it ran on")
    #expect(try String(contentsOf: fixture.junit, encoding: .utf8).contains("case.one rank.rank.0.affinity"))
  }

  @Test func repeatPassesOnlyIfEveryRunPasses() throws {
    // Fails one run in two: twenty runs in a row all pass once in a million.
    let coin = """
      import Foundation
      print("heads")
      if Bool.random() { exit(3) }
      """
    let fixture = try GradingFixture(rubric: """
      id: coin
      title: Coin
      sources: [main.swift]
      cases:
        - name: flip
          ranks: 0
          repeat: 20
          checks:
            - contains: heads
      """, files: ["main.swift": coin])
    let (run, result, _) = try fixture.grade()
    #expect(run.status == 1)
    #expect(result.cases.first?.verdict == .crash)
  }

  @Test func repeatRunsAPassingCaseThatManyTimes() throws {
    let tally = FileManager.default.temporaryDirectory.appendingPathComponent("tally-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: tally) }
    // Every run is a user of its own: the file must be writable by all of them.
    FileManager.default.createFile(atPath: tally.path, contents: nil, attributes: [.posixPermissions: 0o666])
    let fixture = try GradingFixture(rubric: """
      id: tally
      title: Tally
      sources: [main.swift]
      cases:
        - name: count runs
          ranks: 0
          repeat: 3
          env: {TALLY: "\(tally.path)"}
          checks:
            - contains: counted
      """, files: ["main.swift": """
      import Foundation
      let file = fopen(ProcessInfo.processInfo.environment["TALLY"]!, "a")!
      fputs("run\\n", file)
      fclose(file)
      print("counted")
      """])
    let (run, result, _) = try fixture.grade()
    #expect(run.status == 0, "\(run.stdout)")
    #expect(result.cases.first?.verdict == .passed)
    #expect(try String(contentsOf: tally, encoding: .utf8) == "run\nrun\nrun\n")
  }
}
