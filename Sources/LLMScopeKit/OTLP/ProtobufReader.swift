/// Protobuf bytes that break the wire format, at a byte offset of the input.
struct ProtobufError: Error {
  var offset: Int
  var message: String
}

/// A cursor over protobuf wire-format bytes (varints, fixed, length-delimited fields).
struct ProtobufReader {
  let bytes: UnsafeBufferPointer<UInt8>
  private(set) var position: Int
  let end: Int
  /// Offset of `bytes[0]` inside the whole input.
  let origin: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, origin: Int) {
    self.bytes = bytes
    position = range.lowerBound
    end = range.upperBound
    self.origin = origin
  }

  var atEnd: Bool { position >= end }
  var offset: Int { origin + position }

  func error(_ message: String) -> ProtobufError { ProtobufError(offset: offset, message: message) }

  mutating func varint() throws(ProtobufError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while position < end {
      let b = bytes[position]
      position += 1
      if shift == 63 && b > 1 { throw error("varint overflows 64 bits") }
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
      if shift > 63 { throw error("varint longer than 10 bytes") }
    }
    throw error("truncated varint")
  }

  /// The next field's number and wire type.
  mutating func tag() throws(ProtobufError) -> (field: UInt64, wire: UInt8) {
    let at = offset
    let t = try varint()
    let field = t >> 3
    guard field > 0 else { throw ProtobufError(offset: at, message: "field number 0 is invalid") }
    return (field, UInt8(t & 7))
  }

  mutating func fixed64() throws(ProtobufError) -> UInt64 {
    guard end - position >= 8 else { throw error("truncated fixed64") }
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
    position += 8
    return v
  }

  mutating func fixed32() throws(ProtobufError) -> UInt32 {
    guard end - position >= 4 else { throw error("truncated fixed32") }
    var v: UInt32 = 0
    for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
    position += 4
    return v
  }

  /// The range of a length-delimited field's payload; the cursor moves past it.
  mutating func lengthDelimited() throws(ProtobufError) -> Range<Int> {
    let at = offset
    let n = try varint()
    guard n <= UInt64(end - position) else {
      throw ProtobufError(offset: at, message: "length \(n) runs past the end of its message (\(end - position) bytes left)")
    }
    let r = position..<(position + Int(n))
    position += Int(n)
    return r
  }

  mutating func string() throws(ProtobufError) -> String {
    let r = try lengthDelimited()
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
  }

  mutating func byteArray() throws(ProtobufError) -> ArraySlice<UInt8> {
    let r = try lengthDelimited()
    return ArraySlice(UnsafeBufferPointer(rebasing: bytes[r]))
  }

  /// A reader over a nested message.
  mutating func message() throws(ProtobufError) -> ProtobufReader {
    let r = try lengthDelimited()
    return ProtobufReader(bytes, range: r, origin: origin)
  }

  /// Skips a field of the given wire type.
  mutating func skip(wire: UInt8) throws(ProtobufError) {
    switch wire {
    case 0: _ = try varint()
    case 1: _ = try fixed64()
    case 2: _ = try lengthDelimited()
    case 5: _ = try fixed32()
    default: throw error("unsupported wire type \(wire) (groups are not used by OTLP)")
    }
  }

  /// Reads a varint-typed field, checking the wire type.
  mutating func varintField(_ wire: UInt8, _ name: String) throws(ProtobufError) -> UInt64 {
    guard wire == 0 else { throw error("\(name): expected wire type 0 (varint), found \(wire)") }
    return try varint()
  }

  mutating func fixed64Field(_ wire: UInt8, _ name: String) throws(ProtobufError) -> UInt64 {
    guard wire == 1 else { throw error("\(name): expected wire type 1 (fixed64), found \(wire)") }
    return try fixed64()
  }

  mutating func bytesField(_ wire: UInt8, _ name: String) throws(ProtobufError) -> ArraySlice<UInt8> {
    guard wire == 2 else { throw error("\(name): expected wire type 2 (length-delimited), found \(wire)") }
    return try byteArray()
  }

  mutating func stringField(_ wire: UInt8, _ name: String) throws(ProtobufError) -> String {
    guard wire == 2 else { throw error("\(name): expected wire type 2 (length-delimited), found \(wire)") }
    return try string()
  }

  mutating func messageField(_ wire: UInt8, _ name: String) throws(ProtobufError) -> ProtobufReader {
    guard wire == 2 else { throw error("\(name): expected wire type 2 (length-delimited), found \(wire)") }
    return try message()
  }
}
