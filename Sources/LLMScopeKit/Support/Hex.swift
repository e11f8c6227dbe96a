/// Hexadecimal and base64 helpers for trace and span identifiers.
enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  /// Lowercase hex of `bytes`.
  static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `text` lowercased when it is exactly `length` hex digits, else `nil`.
  static func normalized(_ text: String, length: Int) -> String? {
    guard text.utf8.count == length else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(length)
    for c in text.utf8 {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(c)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(c + 32)
      default: return nil
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes standard or URL-safe base64 (padding optional); `nil` when invalid.
  static func base64Decode(_ text: String) -> [UInt8]? {
    var out = [UInt8]()
    var acc: UInt32 = 0
    var bits = 0
    for c in text.utf8 {
      let v: UInt32
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
      case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
      case UInt8(ascii: "="): continue
      default: return nil
      }
      acc = (acc << 6) | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
      }
    }
    return out
  }

  private static let b64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Standard base64 with padding.
  static func base64Encode(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i + 2 < bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out += [b64[Int(n >> 18)], b64[Int(n >> 12 & 63)], b64[Int(n >> 6 & 63)], b64[Int(n & 63)]]
      i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
      let n = UInt32(bytes[i]) << 16
      out += [b64[Int(n >> 18)], b64[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if rest == 2 {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
      out += [b64[Int(n >> 18)], b64[Int(n >> 12 & 63)], b64[Int(n >> 6 & 63)], UInt8(ascii: "=")]
    }
    return String(decoding: out, as: UTF8.self)
  }
}
