/// Spans as rows of `otel_traces`, both ways, the way the Collector's exporter writes them:
/// kinds and status codes as words, every attribute value as text (structured values as JSON).
enum ClickHouseRows {
  static let kinds = ["Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"]
  static let statuses = ["Unset", "Ok", "Error"]

  /// An attribute value as the exporter writes it (pcommon's `AsString`).
  static func text(_ v: AnyValue) -> String {
    switch v {
    case .string(let s): return s
    case .bytes(let b): return Hex.base64Encode(b)
    case .empty: return ""
    case .array, .kvlist:
      var w = JSONWriter()
      plainJSON(v, &w)
      return w.string
    default: return v.text ?? ""
    }
  }

  private static func plainJSON(_ v: AnyValue, _ w: inout JSONWriter) {
    switch v {
    case .string(let s): w.string(s)
    case .bool(let b): w.bool(b)
    case .int(let i): w.int(i)
    case .double(let d): w.double(d)
    case .bytes(let b): w.string(Hex.base64Encode(b))
    case .empty: w.raw("null")
    case .array(let items): w.array(items) { item, w in plainJSON(item, &w) }
    case .kvlist(let kvs): w.object(kvs, key: \.key) { kv, w in plainJSON(kv.value, &w) }
    }
  }

  private static func map(_ attrs: [KeyValue], _ w: inout JSONWriter) {
    w.object(attrs, key: \.key) { kv, w in w.string(text(kv.value)) }
  }

  /// One JSONEachRow line for a span of `resource` and `scope`.
  static func row(_ span: Span, resource: [KeyValue], service: String, scope: InstrumentationScope, into w: inout JSONWriter) {
    // Times as RFC 3339 in UTC, read with best_effort: a bare number would be read as seconds
    // and a bare date-time in the server's time zone.
    w.raw("{\"Timestamp\":")
    w.string(Timestamp.format(span.startTimeUnixNano, fractionDigits: 9))
    w.raw(",\"TraceId\":")
    w.string(span.traceID)
    w.raw(",\"SpanId\":")
    w.string(span.spanID)
    w.raw(",\"ParentSpanId\":")
    w.string(span.parentSpanID)
    w.raw(",\"TraceState\":")
    w.string(span.traceState)
    w.raw(",\"SpanName\":")
    w.string(span.name)
    w.raw(",\"SpanKind\":")
    w.string(kinds.indices.contains(Int(span.kind)) ? kinds[Int(span.kind)] : "Unspecified")
    w.raw(",\"ServiceName\":")
    w.string(service)
    w.raw(",\"ResourceAttributes\":")
    map(resource, &w)
    w.raw(",\"ScopeName\":")
    w.string(scope.name)
    w.raw(",\"ScopeVersion\":")
    w.string(scope.version)
    w.raw(",\"SpanAttributes\":")
    map(span.attributes, &w)
    w.raw(",\"Duration\":")
    w.int(max(0, span.durationNanos))
    w.raw(",\"StatusCode\":")
    w.string(statuses.indices.contains(Int(span.status.code)) ? statuses[Int(span.status.code)] : "Unset")
    w.raw(",\"StatusMessage\":")
    w.string(span.status.message)
    w.raw(",\"Events.Timestamp\":")
    w.array(span.events) { e, w in w.string(Timestamp.format(e.timeUnixNano, fractionDigits: 9)) }
    w.raw(",\"Events.Name\":")
    w.array(span.events) { e, w in w.string(e.name) }
    w.raw(",\"Events.Attributes\":")
    w.array(span.events) { e, w in map(e.attributes, &w) }
    w.raw(",\"Links.TraceId\":")
    w.array(span.links) { l, w in w.string(l.traceID) }
    w.raw(",\"Links.SpanId\":")
    w.array(span.links) { l, w in w.string(l.spanID) }
    w.raw(",\"Links.TraceState\":")
    w.array(span.links) { l, w in w.string(l.traceState) }
    w.raw(",\"Links.Attributes\":")
    w.array(span.links) { l, w in map(l.attributes, &w) }
    w.raw("}\n")
  }

  /// The columns `read` expects, in order, as a SELECT list.
  static let selectList = """
    TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, toString(toUnixTimestamp64Nano(Timestamp)), toString(Duration),
    StatusCode, StatusMessage, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes,
    arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp), Events.Name, Events.Attributes,
    Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes
    """

  /// A span read back from a `JSONCompactEachRow` line of `selectList`.
  static func read(_ line: JSONValue) -> StoredSpan? {
    guard case .array(let f) = line, f.count == 21 else { return nil }
    func s(_ i: Int) -> String { f[i].string ?? "" }
    func attrs(_ v: JSONValue) -> [KeyValue] {
      guard case .object(let members) = v else { return [] }
      return members.map { KeyValue(key: $0.0, value: .string($0.1.string ?? "")) }
    }
    var span = Span()
    span.traceID = s(0)
    span.spanID = s(1)
    span.parentSpanID = s(2)
    span.traceState = s(3)
    span.name = s(4)
    span.kind = Int32(kinds.firstIndex(of: s(5)) ?? 0)
    span.startTimeUnixNano = Int64(s(6)) ?? 0
    span.endTimeUnixNano = span.startTimeUnixNano &+ (Int64(s(7)) ?? 0)
    span.status = SpanStatus(code: Int32(statuses.firstIndex(of: s(8)) ?? 0), message: s(9))
    span.attributes = attrs(f[13])
    let (times, names, eventAttrs) = (f[14].arrayValue, f[15].arrayValue, f[16].arrayValue)
    for i in times.indices {
      var e = SpanEvent()
      e.timeUnixNano = Int64(times[i].string ?? "") ?? 0
      e.name = i < names.count ? names[i].string ?? "" : ""
      e.attributes = i < eventAttrs.count ? attrs(eventAttrs[i]) : []
      span.events.append(e)
    }
    let (traceIDs, spanIDs, states, linkAttrs) = (f[17].arrayValue, f[18].arrayValue, f[19].arrayValue, f[20].arrayValue)
    for i in traceIDs.indices {
      var l = SpanLink()
      l.traceID = traceIDs[i].string ?? ""
      l.spanID = i < spanIDs.count ? spanIDs[i].string ?? "" : ""
      l.traceState = i < states.count ? states[i].string ?? "" : ""
      l.attributes = i < linkAttrs.count ? attrs(linkAttrs[i]) : []
      span.links.append(l)
    }
    var resource = Resource()
    resource.attributes = attrs(f[10])
    var scope = InstrumentationScope()
    scope.name = s(11)
    scope.version = s(12)
    return StoredSpan(resource: resource, resourceSchemaURL: "", scope: scope, scopeSchemaURL: "", span: span)
  }
}
