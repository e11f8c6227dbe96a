import Foundation

/// Writes synthetic batches as OTLP/JSON lines, framed OTLP protobuf and flattened CSV.
enum Encoders {
  static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

  static func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
      }
    }
    return out + "\""
  }

  static func jsonValue(_ v: SyntheticValue) -> String {
    switch v {
    case .string(let s): return "{\"stringValue\":\(jsonString(s))}"
    case .int(let i): return "{\"intValue\":\"\(i)\"}"
    case .double(let d): return "{\"doubleValue\":\(d)}"
    case .bool(let b): return "{\"boolValue\":\(b)}"
    case .strings(let a): return "{\"arrayValue\":{\"values\":[\(a.map { "{\"stringValue\":\(jsonString($0))}" }.joined(separator: ","))]}}"
    }
  }

  static func jsonAttributes(_ attrs: [(String, SyntheticValue)]) -> String {
    "[" + attrs.map { "{\"key\":\(jsonString($0.0)),\"value\":\(jsonValue($0.1))}" }.joined(separator: ",") + "]"
  }

  /// One ExportTraceServiceRequest on one line.
  static func jsonLine(_ batch: SyntheticBatch) -> String {
    var spans: [String] = []
    for s in batch.spans {
      var j = "{\"traceId\":\"\(hex(s.traceID))\",\"spanId\":\"\(hex(s.spanID))\","
      if !s.parentID.isEmpty { j += "\"parentSpanId\":\"\(hex(s.parentID))\"," }
      j += "\"flags\":256,\"name\":\(jsonString(s.name)),\"kind\":\(s.kind),\"startTimeUnixNano\":\"\(s.start)\",\"endTimeUnixNano\":\"\(s.end)\","
      j += "\"attributes\":\(jsonAttributes(s.attributes))"
      if !s.events.isEmpty {
        j += ",\"events\":[" + s.events.map { "{\"timeUnixNano\":\"\($0.time)\",\"name\":\(jsonString($0.name)),\"attributes\":\(jsonAttributes($0.attributes))}" }.joined(separator: ",") + "]"
      }
      j += ",\"status\":{" + (s.statusCode == 0 ? "" : "\"code\":\(s.statusCode)") + (s.statusMessage.isEmpty ? "" : ",\"message\":\(jsonString(s.statusMessage))") + "}}"
      spans.append(j)
    }
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":\(jsonAttributes(SyntheticGenerator.resourceAttributes(batch.app)))},"
      + "\"scopeSpans\":[{\"scope\":{\"name\":\"bench.instrumentation\",\"version\":\"1.0\"},\"spans\":[\(spans.joined(separator: ","))]}]}]}"
  }

  // MARK: - Protobuf

  struct Proto {
    var b: [UInt8] = []
    mutating func varint(_ v: UInt64) {
      var v = v
      while v >= 0x80 {
        b.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
      }
      b.append(UInt8(v))
    }
    mutating func bytes(_ f: UInt64, _ d: [UInt8]) {
      varint(f << 3 | 2)
      varint(UInt64(d.count))
      b += d
    }
    mutating func string(_ f: UInt64, _ s: String) { bytes(f, Array(s.utf8)) }
    mutating func fixed64(_ f: UInt64, _ v: UInt64) {
      varint(f << 3 | 1)
      for i in 0..<8 { b.append(UInt8(v >> (8 * UInt64(i)) & 0xFF)) }
    }
    mutating func uint(_ f: UInt64, _ v: UInt64) {
      varint(f << 3)
      varint(v)
    }
    mutating func message(_ f: UInt64, _ build: (inout Proto) -> Void) {
      var inner = Proto()
      build(&inner)
      bytes(f, inner.b)
    }
  }

  static func protoValue(_ p: inout Proto, _ v: SyntheticValue) {
    switch v {
    case .string(let s): p.string(1, s)
    case .bool(let x): p.uint(2, x ? 1 : 0)
    case .int(let i): p.uint(3, UInt64(bitPattern: i))
    case .double(let d): p.fixed64(4, d.bitPattern)
    case .strings(let a): p.message(5) { arr in for s in a { arr.message(1) { $0.string(1, s) } } }
    }
  }

  static func protoAttributes(_ p: inout Proto, field: UInt64, _ attrs: [(String, SyntheticValue)]) {
    for (k, v) in attrs {
      p.message(field) { kv in
        kv.string(1, k)
        kv.message(2) { protoValue(&$0, v) }
      }
    }
  }

  /// One ExportTraceServiceRequest, prefixed with its 4-byte big-endian length.
  static func framedProto(_ batch: SyntheticBatch) -> [UInt8] {
    var req = Proto()
    req.message(1) { rs in
      rs.message(1) { r in protoAttributes(&r, field: 1, SyntheticGenerator.resourceAttributes(batch.app)) }
      rs.message(2) { ss in
        ss.message(1) { sc in
          sc.string(1, "bench.instrumentation")
          sc.string(2, "1.0")
        }
        for s in batch.spans {
          ss.message(2) { p in
            p.bytes(1, s.traceID)
            p.bytes(2, s.spanID)
            if !s.parentID.isEmpty { p.bytes(4, s.parentID) }
            p.string(5, s.name)
            p.uint(6, UInt64(s.kind))
            p.fixed64(7, UInt64(s.start))
            p.fixed64(8, UInt64(s.end))
            protoAttributes(&p, field: 9, s.attributes)
            for e in s.events {
              p.message(11) { ev in
                ev.fixed64(1, UInt64(e.time))
                ev.string(2, e.name)
                protoAttributes(&ev, field: 3, e.attributes)
              }
            }
            p.message(15) { st in
              if !s.statusMessage.isEmpty { st.string(2, s.statusMessage) }
              if s.statusCode != 0 { st.uint(3, UInt64(s.statusCode)) }
            }
            p.varint(16 << 3 | 5)
            p.b += [0, 1, 0, 0]
          }
        }
      }
    }
    let n = UInt32(req.b.count)
    return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + req.b
  }

  // MARK: - CSV

  static func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  static func compactAttributes(_ attrs: [(String, SyntheticValue)]) -> String {
    "{" + attrs.map { "\(jsonString($0.0)):\(jsonValue($0.1))" }.joined(separator: ",") + "}"
  }

  /// The same spans flattened: one row per span, attributes and events as JSON columns.
  static func csvRows(_ batch: SyntheticBatch) -> String {
    let resource = compactAttributes(SyntheticGenerator.resourceAttributes(batch.app))
    var out = ""
    for s in batch.spans {
      let events = "[" + s.events.map { "{\"timeUnixNano\":\"\($0.time)\",\"name\":\(jsonString($0.name)),\"attributes\":\(compactAttributes($0.attributes))}" }.joined(separator: ",") + "]"
      let fields = [
        hex(s.traceID), hex(s.spanID), hex(s.parentID), s.name, String(s.kind), String(s.start), String(s.end), String(s.statusCode),
        s.statusMessage, compactAttributes(s.attributes), events, SyntheticGenerator.apps[batch.app], resource,
      ]
      out += fields.map(csvField).joined(separator: ",") + "\n"
    }
    return out
  }
}
