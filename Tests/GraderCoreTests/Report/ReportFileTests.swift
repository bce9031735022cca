import Foundation
import Testing

@testable import GraderCore

@Suite struct ReportFileTests {
  @Test func replacesTheFileAndLeavesNoTemporaryBehind() throws {
    let dir = try ReportFixtures.temporaryDirectory()
    let path = dir.appendingPathComponent("report.xml").path
    try ReportFile.write("first", to: path)
    try ReportFile.write("second", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.xml"])
  }

  @Test func errorsNameThePath() throws {
    let missing = "/nonexistent-\(UUID().uuidString)/report.xml"
    let error = #expect(throws: ReportFileError.self) { try ReportFile.write("x", to: missing) }
    #expect(error == .createTemporary(path: missing, errno: ENOENT))
    #expect(error?.description.contains(missing) == true && error?.description.contains("No such file") == true)

    // A directory in the way: the rename fails and the temporary file is removed.
    let dir = try ReportFixtures.temporaryDirectory()
    let blocked = dir.appendingPathComponent("report.xml")
    try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inside"), withIntermediateDirectories: true)
    let renameError = #expect(throws: ReportFileError.self) { try ReportFile.write("x", to: blocked.path) }
    guard case .rename(_, let to, _)? = renameError else { Issue.record("expected a rename error"); return }
    #expect(to == blocked.path && renameError?.description.contains(blocked.path) == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.xml"])
  }

  /// What an interrupted grading relies on: a reader, at any moment, sees one whole
  /// document, the old or the new, never a mix or an empty file. The reader is a real
  /// thread so it surely runs while the writes happen.
  @Test func readersSeeOnlyWholeDocuments() throws {
    let path = try ReportFixtures.temporaryDirectory().appendingPathComponent("report.json").path
    let versions = (0..<2).map { Data(String(repeating: "\($0)", count: 512 * 1024).utf8) }
    try ReportFile.write(versions[0], to: path)
    let reader = Reader(path: path, versions: versions)
    let thread = Thread { reader.run() }
    thread.start()
    for _ in 0..<2000 where reader.counts.reads == 0 { usleep(1000) }
    for i in 1...40 { try ReportFile.write(versions[i % 2], to: path) }
    reader.stop()
    #expect(reader.counts.torn == 0)
    #expect(reader.counts.reads > 1)
  }

  final class Reader: @unchecked Sendable {
    let path: String, versions: [Data]
    private let lock = NSLock(), finished = DispatchSemaphore(value: 0)
    private var stopping = false, reads = 0, torn = 0
    init(path: String, versions: [Data]) { (self.path, self.versions) = (path, versions) }

    var counts: (reads: Int, torn: Int) { lock.withLock { (reads, torn) } }

    func run() {
      while !lock.withLock({ stopping }) {
        let data = FileManager.default.contents(atPath: path)
        let whole = data == versions[0] || data == versions[1]
        lock.withLock { reads += 1; torn += whole ? 0 : 1 }
      }
      finished.signal()
    }

    func stop() {
      lock.withLock { stopping = true }
      finished.wait()
    }
  }
}
