/// The lossless JSON text the store keeps for attributes, events and links.
///
/// Attributes are an object keyed by attribute name whose values keep OTLP/JSON's typed
/// `AnyValue` form (`{"gen_ai.usage.input_tokens":{"intValue":"46"}}`), so types survive and
/// SQLite's JSON functions can read them. A repeated key is written twice, as it arrived.
enum StoredJSON {
  static func attributes(_ attrs: [KeyValue], into w: inout JSONWriter) {
    w.byte(UInt8(ascii: "{"))
    for (i, kv) in attrs.enumerated() {
      if i > 0 { w.byte(UInt8(ascii: ",")) }
      w.string(kv.key)
      w.byte(UInt8(ascii: ":"))
      value(kv.value, into: &w)
    }
    w.byte(UInt8(ascii: "}"))
  }

  static func value(_ v: AnyValue, into w: inout JSONWriter) {
    switch v {
    case .string(let s):
      w.raw("{\"stringValue\":")
      w.string(s)
    case .bool(let b):
      w.raw("{\"boolValue\":")
      w.bool(b)
    case .int(let i):
      w.raw("{\"intValue\":\"")
      w.int(i)
      w.byte(UInt8(ascii: "\""))
    case .double(let d):
      w.raw("{\"doubleValue\":")
      if d.isFinite { w.double(d) } else { w.string(NumberFormatting.shortest(d)) }
    case .bytes(let b):
      w.raw("{\"bytesValue\":")
      w.string(Hex.base64Encode(b))
    case .array(let items):
      w.raw("{\"arrayValue\":{\"values\":[")
      for (i, item) in items.enumerated() {
        if i > 0 { w.byte(UInt8(ascii: ",")) }
        value(item, into: &w)
      }
      w.raw("]}")
    case .kvlist(let kvs):
      w.raw("{\"kvlistValue\":{\"values\":[")
      for (i, kv) in kvs.enumerated() {
        if i > 0 { w.byte(UInt8(ascii: ",")) }
        w.raw("{\"key\":")
        w.string(kv.key)
        w.raw(",\"value\":")
        value(kv.value, into: &w)
        w.byte(UInt8(ascii: "}"))
      }
      w.raw("]}")
    case .empty:
      w.raw("{")
    }
    w.byte(UInt8(ascii: "}"))
  }

  static func events(_ events: [SpanEvent], into w: inout JSONWriter) {
    w.byte(UInt8(ascii: "["))
    for (i, e) in events.enumerated() {
      if i > 0 { w.byte(UInt8(ascii: ",")) }
      w.raw("{\"timeUnixNano\":\"")
      w.int(e.timeUnixNano)
      w.raw("\",\"name\":")
      w.string(e.name)
      w.raw(",\"attributes\":")
      attributes(e.attributes, into: &w)
      if e.droppedAttributesCount > 0 {
        w.raw(",\"droppedAttributesCount\":")
        w.int(Int(e.droppedAttributesCount))
      }
      w.byte(UInt8(ascii: "}"))
    }
    w.byte(UInt8(ascii: "]"))
  }

  static func links(_ links: [SpanLink], into w: inout JSONWriter) {
    w.byte(UInt8(ascii: "["))
    for (i, l) in links.enumerated() {
      if i > 0 { w.byte(UInt8(ascii: ",")) }
      w.raw("{\"traceId\":")
      w.string(l.traceID)
      w.raw(",\"spanId\":")
      w.string(l.spanID)
      if !l.traceState.isEmpty {
        w.raw(",\"traceState\":")
        w.string(l.traceState)
      }
      w.raw(",\"attributes\":")
      attributes(l.attributes, into: &w)
      if l.droppedAttributesCount > 0 {
        w.raw(",\"droppedAttributesCount\":")
        w.int(Int(l.droppedAttributesCount))
      }
      if l.flags != 0 {
        w.raw(",\"flags\":")
        w.int(Int(l.flags))
      }
      w.byte(UInt8(ascii: "}"))
    }
    w.byte(UInt8(ascii: "]"))
  }

  static func text(_ body: (inout JSONWriter) -> Void) -> String {
    var w = JSONWriter(capacity: 512)
    body(&w)
    return w.string
  }

  // MARK: - Reading back

  /// Attributes from their stored text.
  static func readAttributes(_ text: String) throws -> [KeyValue] {
    try parse(text) { p in try OTLPJSONDecoder.attributeObject(p) }
  }

  static func readEvents(_ text: String) throws -> [SpanEvent] {
    try parse(text) { p in try OTLPJSONDecoder.events(p) }
  }

  static func readLinks(_ text: String) throws -> [SpanLink] {
    try parse(text) { p in try OTLPJSONDecoder.links(p) }
  }

  private static func parse<T>(_ text: String, _ body: (JSONParser) throws -> T) throws -> T {
    var copy = text
    return try copy.withUTF8 { buf in try body(JSONParser(buf)) }
  }
}
