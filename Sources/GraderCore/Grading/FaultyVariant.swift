import Foundation
import Yams

/// A typical student mistake shipped with an exercise (`exercises/<id>/faulty/<name>/`),
/// with the verdict the grader must give it (`expected.yaml`), so `validate` proves the
/// rubric catches what it was written to catch.
public struct FaultyVariant: Sendable, Equatable {
  public var name: String
  public var folder: URL
  /// The verdict of the first case that does not pass.
  public var verdict: Verdict
  /// That case's base name (as written in the rubric), if the variant pins it down.
  public var caseName: String?
  /// Text the failing case's explanation or a failed check's message must contain.
  public var mentions: String?

  static let keys = ["verdict", "case", "mentions"]

  /// The variants next to the rubric's reference solution (`<reference>/../faulty/*/`),
  /// sorted by name; a folder without `expected.yaml` is an error, not silently skipped.
  public static func all(for rubric: Rubric) throws -> [FaultyVariant] {
    guard let reference = rubric.reference else { return [] }
    let root = reference.deletingLastPathComponent().appendingPathComponent("faulty")
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return [] }
    return try names.sorted().compactMap { name in
      let folder = root.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
      return try load(folder)
    }
  }

  /// Reads `folder/expected.yaml`.
  public static func load(_ folder: URL) throws -> FaultyVariant {
    let file = folder.appendingPathComponent("expected.yaml")
    let shown = file.path
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      throw FaultyVariantError(file: shown, message: "missing: every faulty variant says the verdict it must get")
    }
    guard let map = (try? Yams.load(yaml: text)) as? [String: Any] else {
      throw FaultyVariantError(file: shown, message: "expected a mapping with keys \(keys.joined(separator: ", "))")
    }
    if let unknown = map.keys.sorted().first(where: { !keys.contains($0) }) {
      throw FaultyVariantError(file: shown, message: "unknown key \"\(unknown)\" (known: \(keys.joined(separator: ", ")))")
    }
    guard let raw = map["verdict"] as? String, let verdict = Verdict(rawValue: raw), verdict != .passed else {
      let choices = Verdict.allCases.filter { $0 != .passed }.map(\.rawValue).joined(separator: ", ")
      throw FaultyVariantError(file: shown, message: "verdict must be one of \(choices)")
    }
    for key in ["case", "mentions"] where map[key] != nil && !(map[key] is String) {
      throw FaultyVariantError(file: shown, message: "\(key) must be a string")
    }
    return FaultyVariant(
      name: folder.lastPathComponent, folder: folder, verdict: verdict, caseName: map["case"] as? String,
      mentions: map["mentions"] as? String)
  }

  /// Why `result` is not what this variant expects, or nil when it is.
  public func mismatch(in result: ExerciseResult) -> String? {
    let failing: (name: String, verdict: Verdict, text: String)?
    if result.build.verdict != .passed {
      failing = ("build", result.build.verdict, result.build.diagnostics.map(\.description).joined(separator: "\n"))
    } else if let c = result.cases.first(where: { !$0.verdict.isPass }) {
      failing = (c.name, c.verdict, ([c.explanation] + c.checks.map(\.message)).joined(separator: "\n"))
    } else {
      failing = nil
    }
    guard let failing else { return "expected \(verdict.rawValue), but every case passed" }
    if failing.verdict != verdict {
      return "expected \(verdict.rawValue), got \(failing.verdict.rawValue) in \"\(failing.name)\""
    }
    if let caseName, failing.name != caseName, !failing.name.hasPrefix(caseName + " (np=") {
      return "expected \(verdict.rawValue) in \"\(caseName)\", got it in \"\(failing.name)\""
    }
    if let mentions, !failing.text.contains(mentions) {
      return "the \(verdict.rawValue) in \"\(failing.name)\" does not mention \"\(mentions)\""
    }
    return nil
  }
}

public struct FaultyVariantError: Error, CustomStringConvertible {
  public var file: String
  public var message: String

  public var description: String { "\(file): \(message)" }
}
