import Foundation
import Testing

@testable import GraderCore

/// `expected.yaml` of a faulty variant, and the comparison `validate` makes with it.
@Suite struct FaultyVariantTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("variant-\(UUID().uuidString)")

  func load(_ yaml: String?) throws -> FaultyVariant {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let yaml { try yaml.write(to: folder.appendingPathComponent("expected.yaml"), atomically: true, encoding: .utf8) }
    return try FaultyVariant.load(folder)
  }

  func message(_ yaml: String?) -> String {
    do { _ = try load(yaml); return "" } catch { return "\(error)" }
  }

  @Test func badFilesSayWhatIsWrong() {
    #expect(message(nil).hasSuffix("expected.yaml: missing: every faulty variant says the verdict it must get"))
    #expect(message("verdict: slow\n").contains("verdict must be one of wrong-answer, compile-error, crash"))
    #expect(message("verdict: passed\n").contains("verdict must be one of"))
    #expect(message("verdict: race\nwhy: x\n").hasSuffix(#"unknown key "why" (known: verdict, case, mentions)"#))
    #expect(message("verdict: race\ncase: [a]\n").hasSuffix("case must be a string"))
    #expect(message("- race\n").hasSuffix("expected a mapping with keys verdict, case, mentions"))
  }

  static func result(build: Verdict = .passed, cases: [(String, Verdict, String)]) -> ExerciseResult {
    ExerciseResult(
      exercise: "x", title: "X", submission: "s",
      build: BuildResult(verdict: build, seconds: 0, cached: false, diagnostics: [], log: ""),
      cases: cases.map { name, verdict, explanation in
        CaseResult(
          name: name, ranks: 2, threads: 1, hidden: false, verdict: verdict, checks: [], seconds: 0, exitStatus: 0,
          explanation: explanation, outputs: [], reproduce: "")
      }, timestamp: Date(), hostname: "h", toolchain: "t", mpiVersion: "m")
  }

  @Test func theFirstFailingCaseMustHaveTheVerdictInTheNamedCaseAndMentionTheText() throws {
    let variant = try load("verdict: deadlock\ncase: exchange\nmentions: waits for rank\n")
    #expect(variant.mismatch(in: Self.result(cases: [
      ("hello", .passed, ""), ("exchange (np=2)", .deadlock, "deadlock: rank 0 … waits for rank 1"),
    ])) == nil)
    #expect(variant.mismatch(in: Self.result(cases: [("exchange (np=2)", .timeout, "")]))
      == #"expected deadlock, got timeout in "exchange (np=2)""#)
    #expect(variant.mismatch(in: Self.result(cases: [("other", .deadlock, "waits for rank 1")]))
      == #"expected deadlock in "exchange", got it in "other""#)
    #expect(variant.mismatch(in: Self.result(cases: [("exchange", .deadlock, "stuck")]))
      == #"the deadlock in "exchange" does not mention "waits for rank""#)
    #expect(variant.mismatch(in: Self.result(cases: [("exchange", .passed, "")])) == "expected deadlock, but every case passed")
    #expect(variant.mismatch(in: Self.result(build: .compileError, cases: [])) == #"expected deadlock, got compile-error in "build""#)
  }
}
