/// Builds compact JSON text byte by byte, with deterministic number formatting.
struct JSONWriter {
  var bytes: [UInt8] = []
  /// Also escape `<`, `>`, `&`, U+2028 and U+2029, for JSON placed inside HTML.
  var htmlSafe: Bool

  init(capacity: Int = 256, htmlSafe: Bool = false) {
    bytes.reserveCapacity(capacity)
    self.htmlSafe = htmlSafe
  }

  var string: String { String(decoding: bytes, as: UTF8.self) }

  mutating func raw(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  /// `[…]`: each item written by `body`, separated by commas.
  @inline(__always)
  mutating func array<C: Collection>(_ items: C, _ body: (C.Element, inout JSONWriter) -> Void) {
    byte(UInt8(ascii: "["))
    for (i, item) in items.enumerated() {
      if i > 0 { byte(UInt8(ascii: ",")) }
      body(item, &self)
    }
    byte(UInt8(ascii: "]"))
  }

  /// `{…}`: a member per item, named by `key`, its value written by `value`.
  @inline(__always)
  mutating func object<C: Collection>(_ items: C, key: (C.Element) -> String, value: (C.Element, inout JSONWriter) -> Void) {
    byte(UInt8(ascii: "{"))
    for (i, item) in items.enumerated() {
      if i > 0 { byte(UInt8(ascii: ",")) }
      string(key(item))
      byte(UInt8(ascii: ":"))
      value(item, &self)
    }
    byte(UInt8(ascii: "}"))
  }

  /// Appends `s` as a JSON string literal: quotes, backslashes and control characters
  /// escaped (and the HTML-significant characters when `htmlSafe`).
  mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    var utf8 = s.utf8
    if let done = utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) {
      _ = done
    } else {
      var copy = s
      copy.makeContiguousUTF8()
      utf8 = copy.utf8
      _ = utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static let hex = Array("0123456789abcdef".utf8)

  private mutating func appendEscaped(_ buf: UnsafeBufferPointer<UInt8>) {
    var start = 0
    var i = 0
    let n = buf.count
    while i < n {
      let c = buf[i]
      var esc: UInt8 = 0
      var unicode = false
      switch c {
      case UInt8(ascii: "\""): esc = UInt8(ascii: "\"")
      case UInt8(ascii: "\\"): esc = UInt8(ascii: "\\")
      case 0x0A: esc = UInt8(ascii: "n")
      case 0x0D: esc = UInt8(ascii: "r")
      case 0x09: esc = UInt8(ascii: "t")
      case 0..<0x20: unicode = true
      case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): unicode = htmlSafe
      case 0xE2 where htmlSafe && i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9):
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
        bytes.append(contentsOf: Array("\\u202".utf8))
        bytes.append(buf[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
        i += 3
        start = i
        continue
      default: break
      }
      if esc != 0 || unicode {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
        bytes.append(UInt8(ascii: "\\"))
        if unicode {
          bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(c >> 4)], Self.hex[Int(c & 15)]])
        } else {
          bytes.append(esc)
        }
        start = i + 1
      }
      i += 1
    }
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<n]))
  }

  /// Text that is already JSON (a number written elsewhere).
  mutating func json(_ s: String) { bytes.append(contentsOf: s.utf8) }

  mutating func int(_ i: Int64) { bytes.append(contentsOf: String(i).utf8) }
  mutating func int(_ i: Int) { bytes.append(contentsOf: String(i).utf8) }

  /// A double as a JSON number; non-finite values become `null`.
  mutating func double(_ d: Double) {
    if d.isFinite { bytes.append(contentsOf: d.description.utf8) } else { raw("null") }
  }

  mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }
}
