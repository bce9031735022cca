import Foundation

/// Why a rubric was rejected. Every case that concerns the content carries the position and
/// the key path (`cases[1].checks[0].atol`), so the author can jump straight to the mistake;
/// `description` renders the compiler-style `file:line:column: path: message` line.
public enum RubricError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file is not valid YAML; position and message come from the YAML parser.
  case syntax(file: String, line: Int, column: Int, message: String)
  /// A key the schema does not know, with the closest known key when one is near.
  case unknownKey(
    file: String, line: Int, column: Int, path: String, key: String, suggestion: String?)
  /// A required key is absent; the position is that of the enclosing mapping.
  case missingKey(file: String, line: Int, column: Int, path: String, key: String)
  /// The value has the wrong YAML type, e.g. `expected a number, got "small"`.
  case typeMismatch(
    file: String, line: Int, column: Int, path: String, expected: String, got: String)
  /// The value has the right type but is not allowed (range, conflict, missing file, ...).
  case invalidValue(file: String, line: Int, column: Int, path: String, message: String)
  /// The rubric file or directory could not be read at all.
  case unreadable(file: String, reason: String)

  public var file: String {
    switch self {
    case .syntax(let file, _, _, _), .unknownKey(let file, _, _, _, _, _),
      .missingKey(let file, _, _, _, _), .typeMismatch(let file, _, _, _, _, _),
      .invalidValue(let file, _, _, _, _), .unreadable(let file, _):
      file
    }
  }

  /// 1-based line, nil for `.unreadable`.
  public var line: Int? {
    switch self {
    case .syntax(_, let line, _, _), .unknownKey(_, let line, _, _, _, _),
      .missingKey(_, let line, _, _, _), .typeMismatch(_, let line, _, _, _, _),
      .invalidValue(_, let line, _, _, _):
      line
    case .unreadable: nil
    }
  }

  /// 1-based column, nil for `.unreadable`.
  public var column: Int? {
    switch self {
    case .syntax(_, _, let column, _), .unknownKey(_, _, let column, _, _, _),
      .missingKey(_, _, let column, _, _), .typeMismatch(_, _, let column, _, _, _),
      .invalidValue(_, _, let column, _, _):
      column
    case .unreadable: nil
    }
  }

  /// Key path of the offending value ("" for the document root or when unknown).
  public var path: String {
    switch self {
    case .unknownKey(_, _, _, let path, _, _), .missingKey(_, _, _, let path, _),
      .typeMismatch(_, _, _, let path, _, _), .invalidValue(_, _, _, let path, _):
      path
    case .syntax, .unreadable: ""
    }
  }

  /// The message without the position prefix.
  public var message: String {
    switch self {
    case .syntax(_, _, _, let message), .invalidValue(_, _, _, _, let message):
      return message
    case .unknownKey(_, _, _, _, let key, let suggestion):
      let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
      return "unknown key \"\(key)\"\(hint)"
    case .missingKey(_, _, _, _, let key):
      return "missing required key \"\(key)\""
    case .typeMismatch(_, _, _, _, let expected, let got):
      return "expected \(expected), got \(got)"
    case .unreadable(_, let reason):
      return "cannot read: \(reason)"
    }
  }

  public var description: String {
    guard let line, let column else { return "\(file): \(message)" }
    let prefix = path.isEmpty ? "" : "\(path): "
    return "\(file):\(line):\(column): \(prefix)\(message)"
  }
}
