import Testing

@testable import GraderCore

/// The reading of ThreadSanitizer's text; the real sanitizer runs in MeasuredCheckTests.
@Suite struct RaceReportTests {
  /// Two warnings as ThreadSanitizer prints them for one racy increment (paths shortened):
  /// Swift's access race, whose first access has no line, and the plain data race.
  static let text = """
    ==================
    WARNING: ThreadSanitizer: Swift access race (pid=3951)
      Modifying access of Swift variable at 0x720800000030 by thread T2:
        #0 $s4main4workyyF /tmp/b/main.swift (prog+0xfc8bb) (BuildId: c2cb)
        #1 $s10Foundation6ThreadC4mainyyF <null> (libFoundation.so+0x3795f8) (BuildId: bbe2)

      Previous write of size 1 at 0x720800000030 by thread T1:
        #0 $s4main4workyyF /tmp/b/main.swift:8:17 (prog+0xfc8ef) (BuildId: c2cb)

      Location is heap block of size 24 at 0x720800000020 allocated by main thread:
        #0 malloc /llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:686:5 (prog+0x79e20)

      Thread T2 'prog' (tid=3954, running) created by main thread at:
        #0 pthread_create /llvm-project/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1094:3 (prog+0x7ba0a)
        #1 $s4main5startyyF /tmp/b/main.swift:12:3 (prog+0xfc9ab)

    SUMMARY: ThreadSanitizer: Swift access race /tmp/b/main.swift in $s4main4workyyF
    ==================
    ==================
    WARNING: ThreadSanitizer: data race (pid=3951)
      Write of size 8 at 0x720800000030 by thread T2 (mutexes: write M0):
        #0 $s4main4workyyF /tmp/b/main.swift:8:17 (prog+0xfc8ef) (BuildId: c2cb)

      Previous read of size 8 at 0x720800000030 by main thread:
        #0 $s4main4workyyF /tmp/b/Other.swift:3:9 (prog+0xfc8ef) (BuildId: c2cb)

      Location is global 'counter' of size 8 at 0x000001 (prog+0x1)

    SUMMARY: ThreadSanitizer: data race /tmp/b/main.swift:8:17 in $s4main4workyyF
    ==================
    ThreadSanitizer: reported 2 warnings
    """

  @Test func eachWarningBecomesTwoAccessesAtTheProgramsOwnLines() {
    let reports = RaceReport.parse(Self.text, rank: 0, ownFiles: ["main.swift", "Other.swift"])
    #expect(reports.count == 2)
    let precise = reports[0]
    #expect(precise.kind == "data race", "the report with every line is shown first")
    #expect(precise.accesses.map(\.thread) == ["thread T2", "main thread"])
    #expect(precise.accesses.map(\.site) == ["main.swift:8:17", "Other.swift:3:9"])
    #expect(precise.location == "global 'counter' of size 8")
    #expect(precise.summary == """
      data race: thread T2 writes at main.swift:8:17 ($s4main4workyyF), and main thread read earlier at \
      Other.swift:3:9 ($s4main4workyyF), with nothing ordering the two; on global 'counter' of size 8
      """)
    let access = reports[1]
    #expect(access.accesses.map(\.site) == ["main.swift", "main.swift:8:17"])
    #expect(access.summary.contains("thread T2 modifies in main.swift (no line recorded)"))
    #expect(access.location == "heap block of size 24")
  }

  @Test func aLessPreciseRepeatOfTheSameLinesIsDropped() {
    let same = Self.text.replacingOccurrences(of: "/tmp/b/Other.swift:3:9", with: "/tmp/b/main.swift:8:17")
    let reports = RaceReport.parse(same, rank: 0, ownFiles: ["main.swift"])
    #expect(reports.count == 1)
    #expect(reports.first?.kind == "data race")
  }

  @Test func framesOutsideTheProgramsFilesAreSkipped() {
    let reports = RaceReport.parse(Self.text, rank: 2, ownFiles: ["Kernels.swift"])
    #expect(reports.allSatisfy { $0.rank == 2 && $0.accesses.allSatisfy { $0.site == nil } })
    #expect(reports.first?.summary.contains("outside your files") == true)
  }
}
