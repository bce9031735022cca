import Foundation
import Yams

/// Loads rubrics strictly: anything the schema does not define, or defines differently, is a
/// `RubricError` with file:line:column and key path. A typo caught here would otherwise
/// surface as a silently ignored check or a wrong grade for every student.
public enum RubricLoader {
  /// Loads one rubric; relative paths inside it resolve against the file's directory.
  public static func load(from url: URL) throws -> Rubric {
    let file = url.relativePath
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw RubricError.unreadable(file: file, reason: "no such file")
    }
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw RubricError.unreadable(file: file, reason: "not a readable UTF-8 text file")
    }
    return try parse(yaml: text, file: file, baseDirectory: url.deletingLastPathComponent())
  }

  /// Parses rubric text. `file` is only used in messages and locations; `baseDirectory`
  /// is what `reference`, `support`, `file` and `stdin_file` paths are relative to.
  public static func parse(yaml: String, file: String, baseDirectory: URL) throws -> Rubric {
    let root = try compose(yaml: yaml, file: file)
    return try RubricParser(file: file, baseDirectory: baseDirectory.absoluteURL).rubric(root)
  }

  /// Loads every `*.yaml` / `*.yml` in `directory` (typically `rubrics/`), sorted by id.
  /// Two rubrics with the same id are an error at the later file's `id`.
  public static func loadAll(directory: URL) throws -> [Rubric] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw RubricError.unreadable(file: directory.relativePath, reason: "not a readable directory")
    }
    let files = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
    var byID: [String: Rubric] = [:]
    for name in files.sorted() {
      let rubric = try load(from: directory.appendingPathComponent(name))
      if let first = byID[rubric.id] {
        let at = rubric.location
        throw RubricError.invalidValue(
          file: at.file, line: at.line, column: at.column, path: "id",
          message: "duplicate rubric id \"\(rubric.id)\", also used by \(first.location.file)")
      }
      byID[rubric.id] = rubric
    }
    return byID.values.sorted { $0.id < $1.id }
  }

  /// Composes the YAML into a node tree, turning Yams' errors into `.syntax` errors that
  /// keep the parser's position.
  static func compose(yaml: String, file: String) throws -> RubricNode {
    func syntax(_ mark: (line: Int, column: Int), _ message: String) -> RubricError {
      .syntax(file: file, line: mark.line, column: mark.column, message: message)
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      switch error {
      case .scanner(let context, let problem, let mark, _),
        .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        let why = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
        throw syntax((mark.line, mark.column), "invalid YAML: \(problem)\(why)")
      case .reader(let problem, let offset, _, let yaml):
        throw syntax(mark(ofCharacterOffset: offset ?? 0, in: yaml), "invalid YAML: \(problem)")
      case .duplicatedKeysInMapping(let duplicates, let context):
        let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
        throw syntax((context.mark.line, context.mark.column), "invalid YAML: duplicate key \(keys) in one mapping")
      default:
        throw syntax((1, 1), "invalid YAML: \(error)")
      }
    } catch {
      throw syntax((1, 1), "invalid YAML: \(error)")
    }
    guard let root else {
      throw RubricError.syntax(file: file, line: 1, column: 1, message: "the rubric is empty")
    }
    return RubricNode(node: root, file: file, path: "")
  }

  /// Line/column (columns in Unicode scalars, like libyaml) of a character offset.
  private static func mark(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for character in text.prefix(offset) {
      if character.isNewline {
        line += 1
        column = 1
      } else {
        column += character.unicodeScalars.count
      }
    }
    return (line, column)
  }
}

/// Walks one rubric's node tree. Split from `RubricLoader` so the schema's rules live next
/// to the keys they govern; the case and check rules are in `RubricParser+Cases.swift`.
struct RubricParser {
  let file: String
  let baseDirectory: URL

  static let rubricKeys = [
    "id", "title", "language", "sources", "support", "flags", "reference", "timeout", "cases",
  ]

  func rubric(_ root: RubricNode) throws -> Rubric {
    let map = try root.mapping(allowed: Self.rubricKeys)
    let idNode = try map.required("id")
    let id = try idNode.nonEmptyString()
    guard id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
      throw idNode.invalid("must use only lowercase letters, digits and dashes, got \(idNode.got)")
    }
    let title = try map.required("title").nonEmptyString()
    let language = try map["language"]?.choice(Rubric.Language.self) ?? .swift
    let sources = try sourceNames(map.required("sources"))
    let support = try map["support"].map { try supportFiles($0, sources: sources) } ?? []
    let flags = try map["flags"]?.stringList() ?? Rubric.defaultFlags
    let reference = try map["reference"].map { try programDirectory($0, sources: sources, role: "reference solution") }
    let timeout = try map["timeout"].map(positiveSeconds) ?? Rubric.defaultTimeout
    let cases = try self.cases(map.required("cases"), timeout: timeout, hasReference: reference != nil, sources: sources)
    return Rubric(
      id: id, title: title, language: language, sources: sources, support: support,
      flags: flags, reference: reference, timeout: timeout, cases: cases,
      baseDirectory: baseDirectory, location: idNode.location)
  }

  /// Submission file names: relative and inside the submission, so a build never reads
  /// outside its sandbox.
  private func sourceNames(_ node: RubricNode) throws -> [String] {
    let items = try node.list()
    guard !items.isEmpty else { throw node.invalid("must list at least one file") }
    var names: [String] = []
    for item in items {
      let name = try item.nonEmptyString()
      let parts = name.split(separator: "/")
      guard !name.hasPrefix("/"), !parts.contains(".."), !parts.contains(".") else {
        throw item.invalid("must be a relative path inside the submission, got \(item.got)")
      }
      guard !names.contains(name) else { throw item.invalid("\(item.got) is listed twice") }
      names.append(name)
    }
    return names
  }

  /// Support files are copied next to the sources by file name, so names must not clash
  /// with each other or with a submission file.
  private func supportFiles(_ node: RubricNode, sources: [String]) throws -> [URL] {
    var urls: [URL] = []
    for item in try node.list() {
      let url = try existingPath(item, directory: false)
      let name = url.lastPathComponent
      if sources.contains(where: { $0 == name || ($0 as NSString).lastPathComponent == name }) {
        throw item.invalid("\"\(name)\" is also a source file; a support file cannot be a submission file")
      }
      guard !urls.contains(where: { $0.lastPathComponent == name }) else {
        throw item.invalid("another support file is also named \"\(name)\"")
      }
      urls.append(url)
    }
    return urls
  }

  /// A reference or baseline must at least contain the files a submission must contain,
  /// or the checks that build it would fail at grading time instead of here.
  func programDirectory(_ node: RubricNode, sources: [String], role: String) throws -> URL {
    let url = try existingPath(node, directory: true)
    for source in sources
    where !FileManager.default.fileExists(atPath: url.appendingPathComponent(source).path) {
      throw node.invalid("the \(role) \(node.got) lacks \"\(source)\" (listed in sources)")
    }
    return url
  }

  /// Resolves a path relative to the rubric and requires it to exist as a file (or
  /// directory); absolute paths are rejected so rubrics stay portable.
  func existingPath(_ node: RubricNode, directory: Bool) throws -> URL {
    let path = try node.nonEmptyString()
    guard !path.hasPrefix("/"), !path.hasPrefix("~") else {
      throw node.invalid("must be a path relative to the rubric file, got \(node.got)")
    }
    let url = baseDirectory.appendingPathComponent(path).standardizedFileURL
    var isDirectory: ObjCBool = false
    let kind = directory ? "directory" : "file"
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw node.invalid("no such \(kind) \(node.got) (looked for \(url.path))")
    }
    guard isDirectory.boolValue == directory else {
      throw node.invalid("\(node.got) is not a \(kind)")
    }
    return url
  }

  /// Reads a referenced text file now, so grading never meets a missing or binary file.
  func existingText(_ node: RubricNode) throws -> (URL, String) {
    let url = try existingPath(node, directory: false)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw node.invalid("\(node.got) is not readable UTF-8 text")
    }
    return (url, text)
  }

  func positiveSeconds(_ node: RubricNode) throws -> Double {
    let value = try node.number()
    guard value > 0 else { throw node.invalid("must be greater than 0 seconds, got \(node.got)") }
    return value
  }

  func nonNegative(_ node: RubricNode) throws -> Double {
    let value = try node.number()
    guard value >= 0 else { throw node.invalid("must be 0 or more, got \(node.got)") }
    return value
  }
}
