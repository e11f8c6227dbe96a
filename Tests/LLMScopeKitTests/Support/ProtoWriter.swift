/// Writes protobuf wire format by hand, for decoder tests.
struct ProtoWriter {
  var bytes: [UInt8] = []

  mutating func varint(_ v: UInt64) {
    var v = v
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func tag(_ field: UInt64, _ wire: UInt64) { varint(field << 3 | wire) }

  mutating func varintField(_ field: UInt64, _ v: UInt64) {
    tag(field, 0)
    varint(v)
  }

  mutating func fixed64(_ field: UInt64, _ v: UInt64) {
    tag(field, 1)
    for i in 0..<8 { bytes.append(UInt8(v >> (8 * UInt64(i)) & 0xFF)) }
  }

  mutating func fixed32(_ field: UInt64, _ v: UInt32) {
    tag(field, 5)
    for i in 0..<4 { bytes.append(UInt8(v >> (8 * UInt32(i)) & 0xFF)) }
  }

  mutating func bytesField(_ field: UInt64, _ b: [UInt8]) {
    tag(field, 2)
    varint(UInt64(b.count))
    bytes += b
  }

  mutating func string(_ field: UInt64, _ s: String) { bytesField(field, Array(s.utf8)) }

  mutating func message(_ field: UInt64, _ build: (inout ProtoWriter) -> Void) {
    var inner = ProtoWriter()
    build(&inner)
    bytesField(field, inner.bytes)
  }

  static func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
      let j = s.index(i, offsetBy: 2)
      out.append(UInt8(s[i..<j], radix: 16)!)
      i = j
    }
    return out
  }

  /// KeyValue message body.
  static func keyValue(_ key: String, _ value: @escaping (inout ProtoWriter) -> Void) -> (inout ProtoWriter) -> Void {
    { w in
      w.string(1, key)
      w.message(2, value)
    }
  }
}
