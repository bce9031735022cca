import Foundation
import GraderCore

/// The Jenkins and Ant JUnit schemas, fetched by `scripts/fetch-schemas`, and a
/// validator that runs the real `xmllint` against both.
public enum JUnitSchemas {
  /// The two schema files, fetched once per test run when `.cache/schemas` lacks them.
  public static let files: Result<[URL], CommandError> = {
    let dir = MPIPrograms.packageRoot.appendingPathComponent(".cache/schemas")
    let files = ["jenkins-junit-10.xsd", "ant-junit.xsd"].map { dir.appendingPathComponent($0) }
    if files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) { return .success(files) }
    let script = MPIPrograms.packageRoot.appendingPathComponent("scripts/fetch-schemas").path
    guard let result = try? Command.run(["/bin/bash", script]) else {
      return .failure(.notFound("/bin/bash"))
    }
    return result.status == 0 ? .success(files) : .failure(.failed(script, result.status, result.stdout + result.stderr))
  }()

  /// xmllint's complaints about `file`, one entry per schema that rejects it; empty
  /// when both accept it.
  public static func validate(file: URL) throws -> [String] {
    try files.get().compactMap { schema in
      let result = try Command.run(["xmllint", "--noout", "--schema", schema.path, file.path])
      return result.status == 0 ? nil : "\(schema.lastPathComponent): \(result.stderr.suffix(2000))"
    }
  }
}
