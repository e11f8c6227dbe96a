/// Decodes OTLP protobuf (`ExportTraceServiceRequest` / `TracesData`) with the field numbers
/// of opentelemetry-proto's `trace/v1/trace.proto` and `common/v1/common.proto`.
///
/// Unknown fields are skipped by wire type; a span whose ids are malformed is rejected on its
/// own; bytes that break the wire format reject the whole message.
struct OTLPProtobufDecoder {
  let location: InputLocation

  func decode(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>, origin: Int) throws(ProtobufError) -> DecodedRecord {
    var record = DecodedRecord()
    var r = ProtobufReader(buffer, range: range, origin: origin)
    var i = 0
    while !r.atEnd {
      let (field, wire) = try r.tag()
      if field == 1 {
        var m = try r.messageField(wire, "resource_spans")
        record.resourceSpans.append(try resourceSpans(&m, path: "resource_spans[\(i)]", into: &record.rejections))
        i += 1
      } else {
        try r.skip(wire: wire)
      }
    }
    return record
  }

  private func resourceSpans(_ r: inout ProtobufReader, path: String, into rejections: inout [Rejection]) throws(ProtobufError) -> ResourceSpans {
    var rs = ResourceSpans()
    var j = 0
    while !r.atEnd {
      let (field, wire) = try r.tag()
      switch field {
      case 1:
        var m = try r.messageField(wire, "resource")
        while !m.atEnd {
          let (f, w) = try m.tag()
          switch f {
          case 1: rs.resource.attributes.append(try keyValue(&m, wire: w))
          case 2: rs.resource.droppedAttributesCount = UInt32(truncatingIfNeeded: try m.varintField(w, "dropped_attributes_count"))
          default: try m.skip(wire: w)
          }
        }
      case 2, 1000:
        var m = try r.messageField(wire, "scope_spans")
        rs.scopeSpans.append(try scopeSpans(&m, path: "\(path).scope_spans[\(j)]", into: &rejections))
        j += 1
      case 3: rs.schemaURL = try r.stringField(wire, "schema_url")
      default: try r.skip(wire: wire)
      }
    }
    return rs
  }

  private func scopeSpans(_ r: inout ProtobufReader, path: String, into rejections: inout [Rejection]) throws(ProtobufError) -> ScopeSpans {
    var ss = ScopeSpans()
    var k = 0
    while !r.atEnd {
      let (field, wire) = try r.tag()
      switch field {
      case 1:
        var m = try r.messageField(wire, "scope")
        while !m.atEnd {
          let (f, w) = try m.tag()
          switch f {
          case 1: ss.scope.name = try m.stringField(w, "scope.name")
          case 2: ss.scope.version = try m.stringField(w, "scope.version")
          case 3: ss.scope.attributes.append(try keyValue(&m, wire: w))
          case 4: ss.scope.droppedAttributesCount = UInt32(truncatingIfNeeded: try m.varintField(w, "dropped_attributes_count"))
          default: try m.skip(wire: w)
          }
        }
      case 2:
        let start = r.offset
        var m = try r.messageField(wire, "spans")
        switch try span(&m) {
        case .success(let s): ss.spans.append(s)
        case .failure(let issue):
          var loc = location
          loc.byteOffset = start
          rejections.append(Rejection(location: loc, field: "\(path).spans[\(k)].\(issue.field)", reason: issue.message, spans: 1))
        }
        k += 1
      case 3: ss.schemaURL = try r.stringField(wire, "schema_url")
      default: try r.skip(wire: wire)
      }
    }
    return ss
  }

  private func span(_ r: inout ProtobufReader) throws(ProtobufError) -> Result<Span, SpanIssue> {
    var s = Span()
    var issue: SpanIssue?
    var traceBytes: ArraySlice<UInt8> = []
    var spanBytes: ArraySlice<UInt8> = []
    var parentBytes: ArraySlice<UInt8> = []
    while !r.atEnd {
      let (field, wire) = try r.tag()
      switch field {
      case 1: traceBytes = try r.bytesField(wire, "trace_id")
      case 2: spanBytes = try r.bytesField(wire, "span_id")
      case 3: s.traceState = try r.stringField(wire, "trace_state")
      case 4: parentBytes = try r.bytesField(wire, "parent_span_id")
      case 5: s.name = try r.stringField(wire, "name")
      case 6: s.kind = Int32(truncatingIfNeeded: try r.varintField(wire, "kind"))
      case 7: s.startTimeUnixNano = Int64(bitPattern: try r.fixed64Field(wire, "start_time_unix_nano"))
      case 8: s.endTimeUnixNano = Int64(bitPattern: try r.fixed64Field(wire, "end_time_unix_nano"))
      case 9: s.attributes.append(try keyValue(&r, wire: wire))
      case 10: s.droppedAttributesCount = UInt32(truncatingIfNeeded: try r.varintField(wire, "dropped_attributes_count"))
      case 11:
        var m = try r.messageField(wire, "events")
        s.events.append(try event(&m))
      case 12: s.droppedEventsCount = UInt32(truncatingIfNeeded: try r.varintField(wire, "dropped_events_count"))
      case 13:
        var m = try r.messageField(wire, "links")
        switch try link(&m) {
        case .success(let l): s.links.append(l)
        case .failure(let i): if issue == nil { issue = i }
        }
      case 14: s.droppedLinksCount = UInt32(truncatingIfNeeded: try r.varintField(wire, "dropped_links_count"))
      case 15:
        var m = try r.messageField(wire, "status")
        while !m.atEnd {
          let (f, w) = try m.tag()
          switch f {
          case 2: s.status.message = try m.stringField(w, "status.message")
          case 3: s.status.code = Int32(truncatingIfNeeded: try m.varintField(w, "status.code"))
          default: try m.skip(wire: w)
          }
        }
      case 16:
        guard wire == 5 else { throw r.error("flags: expected wire type 5 (fixed32), found \(wire)") }
        s.flags = try r.fixed32()
      default: try r.skip(wire: wire)
      }
    }
    if let issue { return .failure(issue) }
    guard let t = SpanIdentifiers.fromBytes(traceBytes, expected: 16) else {
      return .failure(SpanIssue(field: "trace_id", message: "expected 16 non-zero bytes, found \(traceBytes.count)", offset: nil))
    }
    guard let sp = SpanIdentifiers.fromBytes(spanBytes, expected: 8) else {
      return .failure(SpanIssue(field: "span_id", message: "expected 8 non-zero bytes, found \(spanBytes.count)", offset: nil))
    }
    s.traceID = t
    s.spanID = sp
    if !parentBytes.isEmpty {
      guard let p = SpanIdentifiers.fromBytes(parentBytes, expected: 8) else {
        return .failure(SpanIssue(field: "parent_span_id", message: "expected 8 bytes, found \(parentBytes.count)", offset: nil))
      }
      s.parentSpanID = p
    }
    return .success(s)
  }

  private func event(_ r: inout ProtobufReader) throws(ProtobufError) -> SpanEvent {
    var e = SpanEvent()
    while !r.atEnd {
      let (f, w) = try r.tag()
      switch f {
      case 1: e.timeUnixNano = Int64(bitPattern: try r.fixed64Field(w, "event.time_unix_nano"))
      case 2: e.name = try r.stringField(w, "event.name")
      case 3: e.attributes.append(try keyValue(&r, wire: w))
      case 4: e.droppedAttributesCount = UInt32(truncatingIfNeeded: try r.varintField(w, "dropped_attributes_count"))
      default: try r.skip(wire: w)
      }
    }
    return e
  }

  private func link(_ r: inout ProtobufReader) throws(ProtobufError) -> Result<SpanLink, SpanIssue> {
    var l = SpanLink()
    var t: ArraySlice<UInt8> = []
    var s: ArraySlice<UInt8> = []
    while !r.atEnd {
      let (f, w) = try r.tag()
      switch f {
      case 1: t = try r.bytesField(w, "link.trace_id")
      case 2: s = try r.bytesField(w, "link.span_id")
      case 3: l.traceState = try r.stringField(w, "link.trace_state")
      case 4: l.attributes.append(try keyValue(&r, wire: w))
      case 5: l.droppedAttributesCount = UInt32(truncatingIfNeeded: try r.varintField(w, "dropped_attributes_count"))
      case 6:
        guard w == 5 else { throw r.error("link.flags: expected wire type 5 (fixed32), found \(w)") }
        l.flags = try r.fixed32()
      default: try r.skip(wire: w)
      }
    }
    guard let tid = SpanIdentifiers.fromBytes(t, expected: 16) else {
      return .failure(SpanIssue(field: "links.trace_id", message: "expected 16 non-zero bytes, found \(t.count)", offset: nil))
    }
    guard let sid = SpanIdentifiers.fromBytes(s, expected: 8) else {
      return .failure(SpanIssue(field: "links.span_id", message: "expected 8 non-zero bytes, found \(s.count)", offset: nil))
    }
    l.traceID = tid
    l.spanID = sid
    return .success(l)
  }

  private static let maxDepth = 128

  private func keyValue(_ outer: inout ProtobufReader, wire: UInt8, depth: Int = 0) throws(ProtobufError) -> KeyValue {
    var r = try outer.messageField(wire, "attributes")
    var kv = KeyValue(key: "", value: .empty)
    while !r.atEnd {
      let (f, w) = try r.tag()
      switch f {
      case 1: kv.key = try r.stringField(w, "key")
      case 2:
        var m = try r.messageField(w, "value")
        kv.value = try anyValue(&m, depth: depth)
      default: try r.skip(wire: w)
      }
    }
    return kv
  }

  private func anyValue(_ r: inout ProtobufReader, depth: Int) throws(ProtobufError) -> AnyValue {
    guard depth < Self.maxDepth else { throw r.error("attribute values nested deeper than \(Self.maxDepth) levels") }
    var v = AnyValue.empty
    while !r.atEnd {
      let (f, w) = try r.tag()
      switch f {
      case 1: v = .string(try r.stringField(w, "string_value"))
      case 2: v = .bool(try r.varintField(w, "bool_value") != 0)
      case 3: v = .int(Int64(bitPattern: try r.varintField(w, "int_value")))
      case 4: v = .double(Double(bitPattern: try r.fixed64Field(w, "double_value")))
      case 5:
        var m = try r.messageField(w, "array_value")
        var values: [AnyValue] = []
        while !m.atEnd {
          let (af, aw) = try m.tag()
          if af == 1 {
            var e = try m.messageField(aw, "values")
            values.append(try anyValue(&e, depth: depth + 1))
          } else {
            try m.skip(wire: aw)
          }
        }
        v = .array(values)
      case 6:
        var m = try r.messageField(w, "kvlist_value")
        var values: [KeyValue] = []
        while !m.atEnd {
          let (kf, kw) = try m.tag()
          if kf == 1 { values.append(try keyValue(&m, wire: kw, depth: depth + 1)) } else { try m.skip(wire: kw) }
        }
        v = .kvlist(values)
      case 7: v = .bytes(Array(try r.bytesField(w, "bytes_value")))
      default: try r.skip(wire: w)
      }
    }
    return v
  }
}
