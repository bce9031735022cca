/// Makes arbitrary program output safe to put into an XML 1.0 document.
///
/// Student programs print anything: colour codes, NUL bytes, half a UTF-8 sequence, ten
/// megabytes of debug output. XML 1.0 cannot carry most C0 controls at all (not even as
/// `&#27;` or inside CDATA), and one such byte makes the whole report unreadable to CI. So:
///
/// 1. ``capped(_:limit:)`` keeps the first and last `limit / 2` bytes and puts a note
///    `[… N bytes dropped …]` between them: the start shows what the program did, the
///    end usually shows how it died. The limit counts the program's bytes, not the escaped XML.
/// 2. Bytes are decoded as UTF-8; each invalid sequence becomes U+FFFD.
/// 3. ``clean(_:)`` removes ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`,
///    DCS/APC/PM/SOS strings and two/three-byte `ESC` sequences) entirely, because the
///    reader is a web page, not a terminal. Every other character that XML 1.0 forbids or
///    that is invisible junk (C0 controls except tab, LF and CR; DEL; C1 controls;
///    U+FFFE, U+FFFF) is written as a Swift-style escape `\u{1B}` — visible, and familiar
///    to the Swift students who read it. Lone surrogates cannot occur: Swift strings hold
///    only Unicode scalars, and the UTF-8 decoder turns encoded surrogates into U+FFFD.
/// 4. ``escape(_:)`` escapes `& < > " '` (so `]]>` can never appear) and writes CR as
///    `&#13;`, since a parser would otherwise turn it into LF.
public enum XMLText {
  /// The default cap per output stream in a report: 64 KiB.
  public static let defaultLimit = 64 * 1024

  /// Program output as element content: capped, decoded, cleaned and escaped.
  public static func content(_ bytes: [UInt8], limit: Int = defaultLimit) -> String {
    escape(clean(String(decoding: capped(bytes, limit: limit), as: UTF8.self)))
  }

  /// Program output as element content: capped, cleaned and escaped.
  public static func content(_ text: String, limit: Int = defaultLimit) -> String {
    content(Array(text.utf8), limit: limit)
  }

  /// A value for an attribute: cleaned, capped, escaped, with tab and newlines as character
  /// references because attribute-value normalisation would turn them into spaces.
  public static func attribute(_ text: String, limit: Int = 4096) -> String {
    var out = ""
    for scalar in escape(clean(String(decoding: capped(Array(text.utf8), limit: limit), as: UTF8.self))).unicodeScalars {
      switch scalar {
      case "\t": out += "&#9;"
      case "\n": out += "&#10;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The note that stands for the bytes ``capped(_:limit:)`` dropped. It starts with a
  /// newline so that an escape sequence cut in half cannot swallow it.
  public static func droppedNote(_ count: Int) -> String { "\n[… \(count) bytes dropped …]\n" }

  /// At most `limit` bytes of `bytes` (head and tail halves, cut on UTF-8 character
  /// boundaries) with ``droppedNote(_:)`` between them; `bytes` itself when it fits.
  public static func capped(_ bytes: [UInt8], limit: Int = defaultLimit) -> [UInt8] {
    guard bytes.count > limit else { return bytes }
    let isContinuation = { (i: Int) in i < bytes.count && bytes[i] & 0xC0 == 0x80 }
    var headEnd = max(0, limit / 2)
    var tailStart = bytes.count - max(0, limit - headEnd)
    // Back off at most 3 bytes: further means invalid UTF-8, which becomes U+FFFD anyway.
    for _ in 0..<3 where headEnd > 0 && isContinuation(headEnd) { headEnd -= 1 }
    for _ in 0..<3 where isContinuation(tailStart) { tailStart += 1 }
    let dropped = tailStart - headEnd
    return Array(bytes[..<headEnd]) + Array(droppedNote(dropped).utf8) + Array(bytes[tailStart...])
  }

  /// `text` without ANSI escape sequences and with every character XML 1.0 cannot carry
  /// (or that would be invisible) written as `\u{XX}`. Not escaped for markup.
  public static func clean(_ text: String) -> String {
    let s = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < s.count {
      if s[i] == "\u{1B}", let end = escapeSequenceEnd(s, from: i) {
        i = end
        continue
      }
      let v = s[i].value
      let visible = v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v < 0x7F)
        || (v > 0x9F && v != 0xFFFE && v != 0xFFFF)
      if visible {
        out.append(s[i])
      } else {
        out.append(contentsOf: "\\u{\(String(v, radix: 16, uppercase: true))}".unicodeScalars)
      }
      i += 1
    }
    return String(out)
  }

  /// Escapes markup characters so the text stands for itself in content or attributes.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\r": out += "&#13;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Index just past the escape sequence that starts with the ESC at `start`, or nil when
  /// the ESC starts none (it is then shown as `\u{1B}`). Follows ECMA-48.
  static func escapeSequenceEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
    var i = start + 1
    guard i < s.count else { return nil }
    let introducer = s[i].value
    i += 1
    switch introducer {
    case 0x5B:  // CSI: parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
      while i < s.count, (0x20...0x3F).contains(s[i].value) { i += 1 }
      if i < s.count, (0x40...0x7E).contains(s[i].value) { i += 1 }
      return i  // An unfinished CSI is dropped up to where it broke off.
    case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // OSC, DCS, SOS, PM, APC: a string up to BEL or ST.
      // Ends at BEL or ESC \; any other C0 control also ends it (not consumed), so a
      // string that is never terminated hides at most the rest of its line.
      while i < s.count {
        let v = s[i].value
        if v == 0x07 { return i + 1 }
        if v == 0x1B { return i + 1 < s.count && s[i + 1] == "\\" ? i + 2 : i }
        if v < 0x20 { return i }
        i += 1
      }
      return i
    case 0x20...0x2F:  // nF: intermediates, then a final 0x30–0x7E (e.g. ESC ( B).
      while i < s.count, (0x20...0x2F).contains(s[i].value) { i += 1 }
      guard i < s.count, (0x30...0x7E).contains(s[i].value) else { return nil }
      return i + 1
    case 0x30...0x7E:  // Fp, Fe, Fs: two-byte sequences such as ESC 7, ESC M, ESC c.
      return i
    default:
      return nil
    }
  }
}
