#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A JSON text that is not well formed, at a byte offset of the input.
struct JSONSyntaxError: Error {
  var offset: Int
  var message: String
}

/// A well-formed JSON value of the wrong type or content for its field. The parser has
/// consumed the value, so decoding can go on with the next field.
struct JSONFieldError: Error {
  var offset: Int
  var message: String
}

/// A pull parser over UTF-8 JSON bytes: one pass, no intermediate tree.
///
/// Callers walk the structure with `forEachMember` / `forEachElement` and read scalars with
/// the typed readers, so OTLP decoding allocates only the values it keeps.
final class JSONParser {
  private let base: UnsafePointer<UInt8>
  private let count: Int
  private(set) var position: Int = 0
  /// Offset of this buffer inside the whole input, for error messages.
  let origin: Int
  private var depth = 0
  /// Deepest nesting accepted; deeper input is rejected rather than risking the stack.
  static let maxDepth = 256

  init(_ buffer: UnsafeBufferPointer<UInt8>, origin: Int = 0) {
    base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
    count = buffer.count
    self.origin = origin
  }

  var offset: Int { origin + position }
  var atEnd: Bool {
    skipWhitespace()
    return position >= count
  }

  func syntax(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(offset: offset, message: message)
  }

  @inline(__always) func skipWhitespace() {
    while position < count {
      let c = base[position]
      if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 } else { return }
    }
  }

  @inline(__always) func peek() -> UInt8? {
    skipWhitespace()
    return position < count ? base[position] : nil
  }

  private func describe(_ c: UInt8?) -> String {
    guard let c else { return "end of input" }
    if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
    return "byte 0x\(String(c, radix: 16))"
  }

  func expect(_ c: UInt8) throws {
    let got = peek()
    guard got == c else {
      throw syntax("expected '\(Character(Unicode.Scalar(c)))' but found \(describe(got))")
    }
    position += 1
  }

  private func enter() throws {
    depth += 1
    if depth > Self.maxDepth { throw syntax("nesting deeper than \(Self.maxDepth) levels") }
  }

  // MARK: - Structure

  /// Calls `body` with each key of an object; `body` must consume the member's value.
  /// A `null` counts as an empty object.
  func forEachMember(_ body: (String) throws -> Void) throws {
    if consumeNull() { return }
    try expect(UInt8(ascii: "{"))
    try enter()
    defer { depth -= 1 }
    if peek() == UInt8(ascii: "}") {
      position += 1
      return
    }
    while true {
      guard peek() == UInt8(ascii: "\"") else { throw syntax("expected a member name but found \(describe(peek()))") }
      let key = try readStringToken()
      try expect(UInt8(ascii: ":"))
      try body(key)
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        return
      case let c: throw syntax("expected ',' or '}' but found \(describe(c))")
      }
    }
  }

  /// Calls `body` once per element of an array; `body` must consume the element.
  /// A `null` counts as an empty array.
  func forEachElement(_ body: () throws -> Void) throws {
    if consumeNull() { return }
    guard peek() == UInt8(ascii: "[") else {
      let at = offset
      try skipValue()
      throw JSONFieldError(offset: at, message: "expected an array")
    }
    position += 1
    try enter()
    defer { depth -= 1 }
    if peek() == UInt8(ascii: "]") {
      position += 1
      return
    }
    while true {
      try body()
      switch peek() {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        return
      case let c: throw syntax("expected ',' or ']' but found \(describe(c))")
      }
    }
  }

  func consumeNull() -> Bool {
    if peek() == UInt8(ascii: "n"), position + 4 <= count, base[position + 1] == UInt8(ascii: "u"),
      base[position + 2] == UInt8(ascii: "l"), base[position + 3] == UInt8(ascii: "l")
    {
      position += 4
      return true
    }
    return false
  }

  /// Skips one value of any type, checking its syntax.
  func skipValue() throws {
    switch peek() {
    case UInt8(ascii: "{"): try forEachMember { _ in try skipValue() }
    case UInt8(ascii: "["):
      try forEachElement { try skipValue() }
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case let c? where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): _ = try numberToken()
    case let c: throw syntax("expected a value but found \(describe(c))")
    }
  }

  private func literal(_ word: StaticString) throws {
    let n = word.utf8CodeUnitCount
    guard position + n <= count, memcmp(base + position, word.utf8Start, n) == 0 else {
      throw syntax("invalid literal")
    }
    position += n
  }

  // MARK: - Scalars

  /// Reads a string value; any other type is a field error (the value is skipped).
  func readString() throws -> String {
    guard peek() == UInt8(ascii: "\"") else {
      if consumeNull() { return "" }
      let at = offset
      try skipValue()
      throw JSONFieldError(offset: at, message: "expected a string")
    }
    return try readStringToken()
  }

  /// Reads an integer given as a JSON number or a decimal string (OTLP's int64 form).
  func readInt64() throws -> Int64 {
    let at = offset
    switch peek() {
    case UInt8(ascii: "\""):
      let s = try readStringToken()
      if let v = Int64(s) { return v }
      if let u = UInt64(s) { return Int64(bitPattern: u) }
      throw JSONFieldError(offset: at, message: "expected an integer but found \"\(s.prefix(40))\"")
    case let c? where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39):
      let text = try numberToken()
      if let v = Int64(text) { return v }
      if let u = UInt64(text) { return Int64(bitPattern: u) }
      if let d = Double(text), d == d.rounded(), abs(d) < 9.2e18 { return Int64(d) }
      throw JSONFieldError(offset: at, message: "expected an integer but found \(text.prefix(40))")
    default:
      if consumeNull() { return 0 }
      try skipValue()
      throw JSONFieldError(offset: at, message: "expected an integer")
    }
  }

  /// Reads a double given as a number or as `"NaN"`, `"Infinity"`, `"-Infinity"` strings.
  func readDouble() throws -> Double {
    let at = offset
    switch peek() {
    case UInt8(ascii: "\""):
      let s = try readStringToken()
      switch s {
      case "NaN": return .nan
      case "Infinity": return .infinity
      case "-Infinity": return -.infinity
      default:
        if let d = Double(s) { return d }
        throw JSONFieldError(offset: at, message: "expected a number but found \"\(s.prefix(40))\"")
      }
    case let c? where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39):
      let text = try numberToken()
      guard let d = Double(text) else { throw JSONFieldError(offset: at, message: "invalid number \(text.prefix(40))") }
      return d
    default:
      if consumeNull() { return 0 }
      try skipValue()
      throw JSONFieldError(offset: at, message: "expected a number")
    }
  }

  /// Reads `true`/`false` (also as strings).
  func readBool() throws -> Bool {
    let at = offset
    switch peek() {
    case UInt8(ascii: "t"):
      try literal("true")
      return true
    case UInt8(ascii: "f"):
      try literal("false")
      return false
    case UInt8(ascii: "\""):
      let s = try readStringToken()
      if s == "true" { return true }
      if s == "false" { return false }
      throw JSONFieldError(offset: at, message: "expected a boolean")
    default:
      if consumeNull() { return false }
      try skipValue()
      throw JSONFieldError(offset: at, message: "expected a boolean")
    }
  }

  /// Returns the text of a number token after checking its grammar.
  private func numberToken() throws -> String {
    let start = position
    if position < count && base[position] == UInt8(ascii: "-") { position += 1 }
    var digits = 0
    while position < count, base[position] >= 0x30, base[position] <= 0x39 {
      position += 1
      digits += 1
    }
    if digits == 0 { throw syntax("invalid number") }
    if position < count && base[position] == UInt8(ascii: ".") {
      position += 1
      var frac = 0
      while position < count, base[position] >= 0x30, base[position] <= 0x39 {
        position += 1
        frac += 1
      }
      if frac == 0 { throw syntax("invalid number") }
    }
    if position < count && (base[position] | 0x20) == UInt8(ascii: "e") {
      position += 1
      if position < count && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) {
        position += 1
      }
      var exp = 0
      while position < count, base[position] >= 0x30, base[position] <= 0x39 {
        position += 1
        exp += 1
      }
      if exp == 0 { throw syntax("invalid number") }
    }
    return String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
  }

  private func skipString() throws {
    position += 1
    while position < count {
      let c = base[position]
      if c == UInt8(ascii: "\"") {
        position += 1
        return
      }
      if c == UInt8(ascii: "\\") { position += 2 } else {
        if c < 0x20 { throw syntax("control character in string") }
        position += 1
      }
    }
    throw syntax("unterminated string")
  }

  /// Reads a string token at the current position (which must be `"`).
  private func readStringToken() throws -> String {
    position += 1
    let start = position
    while position < count {
      let c = base[position]
      if c == UInt8(ascii: "\"") {
        let s = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        position += 1
        return s
      }
      if c == UInt8(ascii: "\\") { break }
      if c < 0x20 { throw syntax("control character in string") }
      position += 1
    }
    if position >= count { throw syntax("unterminated string") }
    // Slow path: the string has escapes.
    var out = [UInt8](UnsafeBufferPointer(start: base + start, count: position - start))
    while position < count {
      let c = base[position]
      if c == UInt8(ascii: "\"") {
        position += 1
        return String(decoding: out, as: UTF8.self)
      }
      if c < 0x20 { throw syntax("control character in string") }
      if c != UInt8(ascii: "\\") {
        out.append(c)
        position += 1
        continue
      }
      guard position + 1 < count else { throw syntax("unterminated string") }
      let e = base[position + 1]
      position += 2
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if scalar >= 0xD800 && scalar < 0xDC00 {
          // A high surrogate must be followed by an escaped low surrogate.
          if position + 1 < count, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") {
            let save = position
            position += 2
            let low = try hex4()
            if low >= 0xDC00 && low < 0xE000 {
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
              position = save
              scalar = 0xFFFD
            }
          } else {
            scalar = 0xFFFD
          }
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
          scalar = 0xFFFD
        }
        appendUTF8(scalar, to: &out)
      default: throw syntax("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
      }
    }
    throw syntax("unterminated string")
  }

  private func hex4() throws -> UInt32 {
    guard position + 4 <= count else { throw syntax("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = base[position]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw syntax("invalid \\u escape")
      }
      v = v << 4 | d
      position += 1
    }
    return v
  }

  private func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
    switch s {
    case 0..<0x80: out.append(UInt8(s))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | s >> 6))
      out.append(UInt8(0x80 | s & 0x3F))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | s >> 12))
      out.append(UInt8(0x80 | s >> 6 & 0x3F))
      out.append(UInt8(0x80 | s & 0x3F))
    default:
      out.append(UInt8(0xF0 | s >> 18))
      out.append(UInt8(0x80 | s >> 12 & 0x3F))
      out.append(UInt8(0x80 | s >> 6 & 0x3F))
      out.append(UInt8(0x80 | s & 0x3F))
    }
  }
}
