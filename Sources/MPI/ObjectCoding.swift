import FoundationEssentials

/// How the object API puts a `Codable` value on the wire: the sender's type name,
/// a zero byte, then JSON. The name lets a receive of the wrong type say so
/// instead of decoding garbage.
enum ObjectCoding {
  static func encode<T: Encodable>(_ value: T, _ call: @autoclosure () -> String, _ file: StaticString, _ line: UInt)
    -> [UInt8]
  {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return Array(typeName(T.self).utf8) + [0] + Array(try encoder.encode(value))
    } catch {
      fail(call(), "cannot encode \(T.self): \(error)", file, line)
    }
  }

  static func decode<T: Decodable>(
    _ type: T.Type, from bytes: [UInt8], source: Int, _ call: @autoclosure () -> String, _ file: StaticString,
    _ line: UInt
  ) -> T {
    // An object message starts with its type's name; a buffer's bytes (a 0.0 is eight
    // zero bytes) do not look like one.
    guard let zero = bytes.firstIndex(of: 0), zero > 0,
      bytes[..<zero].allSatisfy({ (0x20..<0x7F).contains($0) || $0 >= 0x80 })
    else {
      fail(call(), "got \(bytes.count) raw bytes from rank \(source), not an object message (sent with send(buffer:)?)", file, line)
    }
    let sent = String(decoding: bytes[..<zero], as: UTF8.self)
    guard sent == typeName(T.self) else {
      fail(call(), "got a \(sent) from rank \(source), expected \(typeName(T.self))", file, line)
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return try decoder.decode(T.self, from: Data(bytes[(zero + 1)...]))
    } catch {
      fail(call(), "cannot decode the \(sent) from rank \(source): \(error)", file, line)
    }
  }

  /// The type as a student wrote it: "Array<Point>", not "Swift.Array<main.Point>".
  static func typeName<T>(_ type: T.Type) -> String {
    var name = String(reflecting: type)
    for module in ["Swift.", "main."] {
      name = name.replacing(module, with: "")
    }
    return name
  }
}
