/// Decodes one OTLP/JSON trace message (`ExportTraceServiceRequest` or `TracesData`).
///
/// Follows the OTLP JSON mapping: lowerCamelCase keys (snake_case accepted too), hex ids,
/// int64 as strings or numbers, enums as integers or names, unknown fields ignored, and the
/// pre-2022 `instrumentationLibrarySpans` names. A span with a bad field is rejected on its
/// own; a syntax error rejects the whole record.
struct OTLPJSONDecoder {
  let location: InputLocation

  /// Decodes a record whose bytes are `buffer`; `origin` is the offset of `buffer` in the input.
  func decode(_ buffer: UnsafeBufferPointer<UInt8>, origin: Int) throws(JSONSyntaxError) -> DecodedRecord {
    let p = JSONParser(buffer, origin: origin)
    var record = DecodedRecord()
    do {
      guard p.peek() == UInt8(ascii: "{") else { throw p.syntax("expected an OTLP trace object ('{')") }
      try p.forEachMember { key in
        switch key {
        case "resourceSpans", "resource_spans":
          var i = 0
          try p.forEachElement {
            let path = "resourceSpans[\(i)]"
            if let rs = try resourceSpans(p, path: path, into: &record.rejections) { record.resourceSpans.append(rs) }
            i += 1
          }
        default: try p.skipValue()
        }
      }
      if !p.atEnd { throw p.syntax("unexpected text after the JSON value") }
    } catch let e as JSONSyntaxError {
      throw e
    } catch let e as JSONFieldError {
      throw JSONSyntaxError(offset: e.offset, message: "resourceSpans: \(e.message)")
    } catch {
      throw JSONSyntaxError(offset: p.offset, message: "\(error)")
    }
    return record
  }

  private func at(_ offset: Int) -> InputLocation {
    var l = location
    l.byteOffset = offset
    return l
  }

  private func resourceSpans(_ p: JSONParser, path: String, into rejections: inout [Rejection]) throws -> ResourceSpans? {
    var rs = ResourceSpans()
    try p.forEachMember { key in
      switch key {
      case "resource":
        try p.forEachMember { k in
          switch k {
          case "attributes": rs.resource.attributes = try Self.attributes(p)
          case "droppedAttributesCount", "dropped_attributes_count": rs.resource.droppedAttributesCount = try Self.uint32(p)
          default: try p.skipValue()
          }
        }
      case "schemaUrl", "schema_url": rs.schemaURL = try p.readString()
      case "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans":
        var j = 0
        try p.forEachElement {
          rs.scopeSpans.append(try scopeSpans(p, path: "\(path).scopeSpans[\(j)]", into: &rejections))
          j += 1
        }
      default: try p.skipValue()
      }
    }
    return rs
  }

  private func scopeSpans(_ p: JSONParser, path: String, into rejections: inout [Rejection]) throws -> ScopeSpans {
    var ss = ScopeSpans()
    try p.forEachMember { key in
      switch key {
      case "scope", "instrumentationLibrary", "instrumentation_library":
        try p.forEachMember { k in
          switch k {
          case "name": ss.scope.name = try p.readString()
          case "version": ss.scope.version = try p.readString()
          case "attributes": ss.scope.attributes = try Self.attributes(p)
          case "droppedAttributesCount", "dropped_attributes_count": ss.scope.droppedAttributesCount = try Self.uint32(p)
          default: try p.skipValue()
          }
        }
      case "schemaUrl", "schema_url": ss.schemaURL = try p.readString()
      case "spans":
        var k = 0
        try p.forEachElement {
          let start = p.offset
          let spanPath = "\(path).spans[\(k)]"
          switch try span(p) {
          case .success(let s): ss.spans.append(s)
          case .failure(let issue):
            rejections.append(
              Rejection(location: at(issue.offset ?? start), field: "\(spanPath).\(issue.field)", reason: issue.message, spans: 1))
          }
          k += 1
        }
      default: try p.skipValue()
      }
    }
    return ss
  }

  /// Runs `read`, turning a field error into a recorded issue for `field`.
  private func field<T>(_ name: String, _ issue: inout SpanIssue?, _ read: () throws -> T) throws -> T? {
    do { return try read() } catch let e as JSONFieldError {
      if issue == nil { issue = SpanIssue(field: name, message: e.message, offset: e.offset) }
      return nil
    }
  }

  private func span(_ p: JSONParser) throws -> Result<Span, SpanIssue> {
    var s = Span()
    var issue: SpanIssue?
    var sawTrace = false
    var sawSpan = false
    try p.forEachMember { key in
      switch key {
      case "traceId", "trace_id":
        sawTrace = true
        let at = p.offset
        if let raw = try field("traceId", &issue, { try p.readString() }) {
          if let id = SpanIdentifiers.traceID(raw) { s.traceID = id } else if issue == nil {
            issue = SpanIssue(field: "traceId", message: SpanIdentifiers.problem(raw, digits: 32), offset: at)
          }
        }
      case "spanId", "span_id":
        sawSpan = true
        let at = p.offset
        if let raw = try field("spanId", &issue, { try p.readString() }) {
          if let id = SpanIdentifiers.spanID(raw) { s.spanID = id } else if issue == nil {
            issue = SpanIssue(field: "spanId", message: SpanIdentifiers.problem(raw, digits: 16), offset: at)
          }
        }
      case "parentSpanId", "parent_span_id":
        let at = p.offset
        if let raw = try field("parentSpanId", &issue, { try p.readString() }), !raw.isEmpty {
          if let id = SpanIdentifiers.spanID(raw) { s.parentSpanID = id } else if issue == nil {
            issue = SpanIssue(field: "parentSpanId", message: SpanIdentifiers.problem(raw, digits: 16), offset: at)
          }
        }
      case "traceState", "trace_state": s.traceState = try field(key, &issue) { try p.readString() } ?? ""
      case "name": s.name = try field(key, &issue) { try p.readString() } ?? ""
      case "kind": s.kind = try field(key, &issue) { try enumValue(p, names: Self.spanKindNames) } ?? 0
      case "flags": s.flags = try field(key, &issue) { try Self.uint32(p) } ?? 0
      case "startTimeUnixNano", "start_time_unix_nano": s.startTimeUnixNano = try field(key, &issue) { try p.readInt64() } ?? 0
      case "endTimeUnixNano", "end_time_unix_nano": s.endTimeUnixNano = try field(key, &issue) { try p.readInt64() } ?? 0
      case "attributes": s.attributes = try field(key, &issue) { try Self.attributes(p) } ?? []
      case "droppedAttributesCount", "dropped_attributes_count": s.droppedAttributesCount = try field(key, &issue) { try Self.uint32(p) } ?? 0
      case "droppedEventsCount", "dropped_events_count": s.droppedEventsCount = try field(key, &issue) { try Self.uint32(p) } ?? 0
      case "droppedLinksCount", "dropped_links_count": s.droppedLinksCount = try field(key, &issue) { try Self.uint32(p) } ?? 0
      case "events": s.events = try field(key, &issue) { try Self.events(p) } ?? []
      case "links": s.links = try field(key, &issue) { try Self.links(p) } ?? []
      case "status":
        try p.forEachMember { k in
          switch k {
          case "code": s.status.code = try field("status.code", &issue) { try enumValue(p, names: Self.statusNames) } ?? 0
          case "message": s.status.message = try field("status.message", &issue) { try p.readString() } ?? ""
          default: try p.skipValue()
          }
        }
      default: try p.skipValue()
      }
    }
    if let issue { return .failure(issue) }
    if !sawTrace || s.traceID.isEmpty { return .failure(SpanIssue(field: "traceId", message: "missing trace id", offset: nil)) }
    if !sawSpan || s.spanID.isEmpty { return .failure(SpanIssue(field: "spanId", message: "missing span id", offset: nil)) }
    return .success(s)
  }

  private static let spanKindNames: [String: Int32] = [
    "SPAN_KIND_UNSPECIFIED": 0, "SPAN_KIND_INTERNAL": 1, "SPAN_KIND_SERVER": 2, "SPAN_KIND_CLIENT": 3,
    "SPAN_KIND_PRODUCER": 4, "SPAN_KIND_CONSUMER": 5,
  ]
  private static let statusNames: [String: Int32] = ["STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2]

  /// An enum as an integer or as its proto name.
  private func enumValue(_ p: JSONParser, names: [String: Int32]) throws -> Int32 {
    if p.peek() == UInt8(ascii: "\"") {
      let at = p.offset
      let s = try p.readString()
      if let v = names[s] { return v }
      if let v = Int32(s) { return v }
      throw JSONFieldError(offset: at, message: "unknown enum value \"\(s.prefix(40))\" (expected one of \(names.keys.sorted().joined(separator: ", ")) or a number)")
    }
    let at = p.offset
    let v = try p.readInt64()
    guard let i = Int32(exactly: v) else { throw JSONFieldError(offset: at, message: "enum value \(v) out of range") }
    return i
  }

  static func uint32(_ p: JSONParser) throws -> UInt32 {
    let at = p.offset
    let v = try p.readInt64()
    guard let u = UInt32(exactly: v) else { throw JSONFieldError(offset: at, message: "count \(v) out of range") }
    return u
  }

  /// Attributes as OTLP's `[{key, value}]` list, or as an object keyed by name (the store's form).
  static func attributes(_ p: JSONParser) throws -> [KeyValue] {
    if p.peek() == UInt8(ascii: "{") { return try attributeObject(p) }
    var out: [KeyValue] = []
    try p.forEachElement {
      var key = ""
      var value = AnyValue.empty
      try p.forEachMember { k in
        switch k {
        case "key": key = try p.readString()
        case "value": value = try Self.anyValue(p)
        default: try p.skipValue()
        }
      }
      out.append(KeyValue(key: key, value: value))
    }
    return out
  }

  static func anyValue(_ p: JSONParser) throws -> AnyValue {
    var v = AnyValue.empty
    try p.forEachMember { k in
      switch k {
      case "stringValue", "string_value": v = .string(try p.readString())
      case "boolValue", "bool_value": v = .bool(try p.readBool())
      case "intValue", "int_value": v = .int(try p.readInt64())
      case "doubleValue", "double_value": v = .double(try p.readDouble())
      case "bytesValue", "bytes_value":
        let at = p.offset
        let text = try p.readString()
        guard let bytes = Hex.base64Decode(text) else { throw JSONFieldError(offset: at, message: "bytesValue is not base64") }
        v = .bytes(bytes)
      case "arrayValue", "array_value":
        var values: [AnyValue] = []
        try p.forEachMember { ak in
          if ak == "values" { try p.forEachElement { values.append(try Self.anyValue(p)) } } else { try p.skipValue() }
        }
        v = .array(values)
      case "kvlistValue", "kvlist_value":
        var values: [KeyValue] = []
        try p.forEachMember { ak in
          if ak == "values" { values = try Self.attributes(p) } else { try p.skipValue() }
        }
        v = .kvlist(values)
      default: try p.skipValue()
      }
    }
    return v
  }

  /// Attributes stored as an object keyed by name (llmscope's store form).
  static func attributeObject(_ p: JSONParser) throws -> [KeyValue] {
    var out: [KeyValue] = []
    try p.forEachMember { k in out.append(KeyValue(key: k, value: try anyValue(p))) }
    return out
  }

  static func events(_ p: JSONParser) throws -> [SpanEvent] {
    var out: [SpanEvent] = []
    try p.forEachElement {
      var e = SpanEvent()
      try p.forEachMember { k in
        switch k {
        case "timeUnixNano", "time_unix_nano": e.timeUnixNano = try p.readInt64()
        case "name": e.name = try p.readString()
        case "attributes": e.attributes = try Self.attributes(p)
        case "droppedAttributesCount", "dropped_attributes_count": e.droppedAttributesCount = try Self.uint32(p)
        default: try p.skipValue()
        }
      }
      out.append(e)
    }
    return out
  }

  static func links(_ p: JSONParser) throws -> [SpanLink] {
    var out: [SpanLink] = []
    try p.forEachElement {
      var l = SpanLink()
      try p.forEachMember { k in
        switch k {
        case "traceId", "trace_id":
          let at = p.offset
          let raw = try p.readString()
          guard let id = SpanIdentifiers.traceID(raw) else { throw JSONFieldError(offset: at, message: "link " + SpanIdentifiers.problem(raw, digits: 32)) }
          l.traceID = id
        case "spanId", "span_id":
          let at = p.offset
          let raw = try p.readString()
          guard let id = SpanIdentifiers.spanID(raw) else { throw JSONFieldError(offset: at, message: "link " + SpanIdentifiers.problem(raw, digits: 16)) }
          l.spanID = id
        case "traceState", "trace_state": l.traceState = try p.readString()
        case "attributes": l.attributes = try Self.attributes(p)
        case "droppedAttributesCount", "dropped_attributes_count": l.droppedAttributesCount = try Self.uint32(p)
        case "flags": l.flags = try Self.uint32(p)
        default: try p.skipValue()
        }
      }
      out.append(l)
    }
    return out
  }
}

/// A problem with one field of one span.
struct SpanIssue: Error {
  var field: String
  var message: String
  var offset: Int?
}

/// Validation of trace and span identifiers from any encoding.
enum SpanIdentifiers {
  /// A 32-digit hex trace id, lowercased; base64 of 16 bytes is accepted as a fallback.
  /// An all-zero id is invalid per the OTLP spec.
  static func traceID(_ raw: String) -> String? { id(raw, bytes: 16) }
  /// A 16-digit hex span id, lowercased.
  static func spanID(_ raw: String) -> String? { id(raw, bytes: 8) }

  private static func id(_ raw: String, bytes: Int) -> String? {
    if let hex = Hex.normalized(raw, length: bytes * 2) {
      return hex.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) ? nil : hex
    }
    if raw.utf8.count == (bytes + 2) / 3 * 4 || raw.utf8.count == (bytes * 4 + 2) / 3, let b = Hex.base64Decode(raw), b.count == bytes,
      b.contains(where: { $0 != 0 })
    {
      return Hex.encode(b)
    }
    return nil
  }

  static func problem(_ raw: String, digits: Int) -> String {
    if raw.isEmpty { return "empty id (expected \(digits) hex digits)" }
    if raw.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) { return "all-zero id is invalid" }
    return "\"\(raw.prefix(48))\" is not an id of \(digits) hex digits"
  }

  static func fromBytes(_ b: ArraySlice<UInt8>, expected: Int) -> String? {
    guard b.count == expected, b.contains(where: { $0 != 0 }) else { return nil }
    return Hex.encode(b)
  }
}
