import Foundation
import Yams

/// A YAML node that knows its file and key path, so each typed accessor can throw a
/// `RubricError` pointing at the exact value. Accessors are strict: no silent coercion
/// between numbers, booleans and strings, except that a string field accepts any scalar
/// as written (`args: [--n, 10]` means "10", which is what the author typed).
struct RubricNode {
  let node: Node
  let file: String
  let path: String

  var line: Int { node.mark?.line ?? 1 }
  var column: Int { node.mark?.column ?? 1 }
  var location: RubricLocation { RubricLocation(file: file, line: line, column: column) }

  /// The node of `key` inside this mapping node.
  func child(_ key: String, _ node: Node) -> RubricNode {
    RubricNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
  }

  func invalid(_ message: String) -> RubricError {
    .invalidValue(file: file, line: line, column: column, path: path, message: message)
  }

  func mismatch(expected: String) -> RubricError {
    .typeMismatch(file: file, line: line, column: column, path: path, expected: expected, got: got)
  }

  /// How the value is shown after "got": strings quoted, other scalars as written.
  var got: String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      if tagName == .null { return "null" }
      guard tagName == .str else { return scalar.string }
      let text = scalar.string.count > 40 ? scalar.string.prefix(40) + "…" : Substring(scalar.string)
      let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
      return "\"\(escaped)\""
    }
  }

  /// The resolved tag (`Tag.name` is internal to Yams, its description is the name).
  private var tagName: Tag.Name { Tag.Name(rawValue: node.tag.description) }
  private var scalar: Node.Scalar? { node.scalar }

  /// A plain YAML integer (for fields that take "a number or something else").
  var isInteger: Bool { tagName == .int }

  /// Any non-null scalar, as written.
  func string() throws -> String {
    guard let scalar, tagName != .null else { throw mismatch(expected: "a string") }
    return scalar.string
  }

  /// A string that must not be empty (names, patterns, paths).
  func nonEmptyString() throws -> String {
    let text = try string()
    guard !text.isEmpty else { throw invalid("must not be empty") }
    return text
  }

  func int() throws -> Int {
    guard let scalar, tagName == .int else { throw mismatch(expected: "an integer") }
    guard let value = Int.construct(from: scalar) else { throw invalid("integer out of range") }
    return value
  }

  /// A finite number; YAML integers are accepted too.
  func number() throws -> Double {
    guard let scalar, tagName == .int || tagName == .float else {
      throw mismatch(expected: "a number")
    }
    let value = tagName == .int ? Int.construct(from: scalar).map(Double.init) : Double.construct(from: scalar)
    guard let value, value.isFinite else { throw invalid("expected a finite number, got \(got)") }
    return value
  }

  func bool() throws -> Bool {
    guard let scalar, tagName == .bool, let value = Bool.construct(from: scalar) else {
      throw mismatch(expected: "true or false")
    }
    return value
  }

  /// One of a fixed set of words, e.g. `language: swift | c`.
  func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws -> T where T.RawValue == String {
    let words = T.allCases.map { "\"\($0.rawValue)\"" }
    let expected = words.dropLast().joined(separator: ", ") + " or " + words.last!
    guard let scalar, tagName != .null, let value = T(rawValue: scalar.string) else {
      throw mismatch(expected: expected)
    }
    return value
  }

  /// The elements, each with `path[i]`.
  func list() throws -> [RubricNode] {
    guard case .sequence(let sequence) = node else { throw mismatch(expected: "a list") }
    return sequence.enumerated().map { index, element in
      RubricNode(node: element, file: file, path: "\(path)[\(index)]")
    }
  }

  func stringList() throws -> [String] {
    try list().map { try $0.string() }
  }

  /// Opens a mapping, rejecting keys outside `allowed` (nil accepts any string key, for
  /// free-form maps like `env`). Unknown keys get the closest allowed key as a suggestion.
  func mapping(allowed: [String]?) throws -> RubricMapping {
    guard case .mapping(let mapping) = node else { throw mismatch(expected: "a mapping") }
    var entries: [RubricMapping.Entry] = []
    for (keyNode, valueNode) in mapping {
      let keyAt = RubricNode(node: keyNode, file: file, path: path)
      guard let scalar = keyNode.scalar, keyNode.tag.description != Tag.Name.null.rawValue else {
        throw keyAt.invalid("keys must be plain strings, got \(keyAt.got)")
      }
      let key = scalar.string
      if let allowed, !allowed.contains(key) {
        if key == "<<" { throw keyAt.invalid("YAML merge keys (<<) are not supported") }
        throw RubricError.unknownKey(
          file: file, line: keyAt.line, column: keyAt.column, path: path, key: key,
          suggestion: Self.closest(to: key, among: allowed))
      }
      entries.append(.init(key: key, keyNode: keyAt, value: child(key, valueNode)))
    }
    return RubricMapping(owner: self, entries: entries)
  }

  /// The allowed key nearest to a misspelt one, if it is close enough to be a likely typo:
  /// at most a third of the key's length in edits (at least 1), case and `-`/`_` ignored.
  static func closest(to key: String, among candidates: [String]) -> String? {
    func normal(_ s: String) -> [Character] { Array(s.lowercased().replacingOccurrences(of: "-", with: "_")) }
    let target = normal(key)
    let limit = max(1, target.count / 3)
    let scored = candidates.map { ($0, editDistance(target, normal($0))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
    return best.0
  }

  /// Edit distance counting insertions, deletions, substitutions and adjacent swaps
  /// (optimal string alignment), since "titel" for "title" is one slip, not two.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in stride(from: 1, through: a.count, by: 1) {
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}

/// A mapping whose keys were already checked against the schema; looks values up by key.
struct RubricMapping {
  struct Entry {
    let key: String
    /// Positioned at the key itself, for errors about the key's presence (conflicts).
    let keyNode: RubricNode
    let value: RubricNode
  }

  let owner: RubricNode
  let entries: [Entry]

  subscript(_ key: String) -> RubricNode? { entries.first { $0.key == key }?.value }

  func has(_ key: String) -> Bool { self[key] != nil }

  /// The key's node, for errors about the key rather than its value.
  func keyNode(_ key: String) -> RubricNode? { entries.first { $0.key == key }?.keyNode }

  /// A missing key is reported at the enclosing mapping, since there is nothing else to point at.
  func required(_ key: String) throws -> RubricNode {
    guard let value = self[key] else {
      throw RubricError.missingKey(
        file: owner.file, line: owner.line, column: owner.column, path: owner.path, key: key)
    }
    return value
  }
}
