/// Which spans a query reads besides the time range: one app, one business system, one model.
public struct SpanFilter: Sendable, Hashable {
  public var app: String?
  /// A business-system fingerprint.
  public var businessSystem: String?
  /// A model (response model, else request model): its model calls, and the entry spans of
  /// the traces that call it.
  public var model: String?
  public init(app: String? = nil, businessSystem: String? = nil, model: String? = nil) {
    self.app = app
    self.businessSystem = businessSystem
    self.model = model
  }

  /// SQL over `spans` aliased `alias`, reading parameters ?3 (app), ?4 (business system) and
  /// ?5 (model). Only the conditions the filter has are written, so that SQLite can use the
  /// (app, start) index for an app's spans.
  func sql(_ alias: String) -> String {
    var conditions = ["1"]
    if app != nil { conditions.append("\(alias).app = ?3") }
    if businessSystem != nil { conditions.append("\(alias).business_system = ?4") }
    if model != nil {
      conditions.append(
        """
        (coalesce(\(alias).response_model, \(alias).request_model) = ?5
         OR (\(alias).is_entry = 1 AND EXISTS (SELECT 1 FROM spans m WHERE m.trace_id = \(alias).trace_id
             AND m.op_kind IN ('llm', 'embedding') AND coalesce(m.response_model, m.request_model) = ?5)))
        """)
    }
    return conditions.joined(separator: " AND ")
  }

  func bind(_ s: SQLiteStatement) {
    s.bind(3, app)
    s.bind(4, businessSystem)
    s.bind(5, model)
  }
}

extension SQLiteSpanStore {
  /// The first span start and the last span end in the store; `nil` when it is empty.
  public func timeBounds() throws -> TimeRange? {
    let s = try db.prepare("SELECT min(start_ns), max(end_ns) FROM spans")
    guard try s.step(), !s.isNull(0) else { return nil }
    return TimeRange(from: s.int(0), to: max(s.int(0), s.int(1)))
  }

  /// Streams what the summary needs of every span that starts within `range` and passes
  /// `filter`.
  public func forEachSummaryRow(in range: TimeRange, filter: SpanFilter = SpanFilter(), _ body: (SummaryRow) -> Void) throws {
    let s = try db.prepare(
      """
      SELECT trace_id, app, instance, business_system, op_kind, is_entry, duplicate_of IS NULL, is_error,
             end_ns - start_ns, coalesce(response_model, request_model), request_model, provider,
             input_tokens, output_tokens, cache_read_tokens, ttft_ns, start_ns, reasoning_tokens, usage_source, ttft_source
      FROM spans s WHERE start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s"))
      """)
    s.bind(1, range.from)
    s.bind(2, range.to)
    filter.bind(s)
    while try s.step() {
      body(
        SummaryRow(
          traceID: s.string(0), app: s.string(1), instance: s.optionalString(2), businessSystem: s.optionalString(3),
          kind: OperationKind(rawValue: s.string(4)) ?? .other, isEntry: s.int(5) != 0, isCounted: s.int(6) != 0,
          isError: s.int(7) != 0, startNanos: s.int(16), durationMs: Double(s.int(8)) / 1e6, model: s.optionalString(9),
          requestModel: s.optionalString(10), provider: s.optionalString(11), inputTokens: s.optionalInt(12),
          outputTokens: s.optionalInt(13), cacheReadTokens: s.optionalInt(14), reasoningTokens: s.optionalInt(17),
          ttftNanos: s.optionalInt(15), usageSource: s.optionalString(18), ttftSource: s.optionalString(19)))
    }
  }

  /// The summary of `range` (the whole store when `nil`) for the spans that pass `filter`,
  /// with costs at `prices`.
  public func summary(in range: TimeRange? = nil, filter: SpanFilter = SpanFilter(), prices: PriceTable = .bundled) throws -> Summary {
    let r = try range ?? timeBounds() ?? TimeRange(from: 0, to: 0)
    return try Summary.build(range: r, prices: prices) { body in try forEachSummaryRow(in: r, filter: filter, body) }
  }

  /// Figures per time bucket of `range` for the spans that pass `filter`.
  public func series(in range: TimeRange, filter: SpanFilter = SpanFilter(), prices: PriceTable = .bundled) throws -> TimeSeries {
    try TimeSeries.build(range: range, prices: prices) { body in try forEachSummaryRow(in: range, filter: filter, body) }
  }

  /// Number of spans stored.
  public func spanCount() throws -> Int { Int(try db.scalarInt("SELECT count(*) FROM spans") ?? 0) }

  /// Number of spans stored of one trace.
  public func spanCount(traceID: String) throws -> Int {
    let s = try db.prepare("SELECT count(*) FROM spans WHERE trace_id = ?1")
    s.bind(1, traceID)
    guard try s.step() else { return 0 }
    return Int(s.int(0))
  }

  /// Every stored span (of one trace when `traceID` is given), ordered by trace and span id.
  public func storedSpans(traceID: String? = nil) throws -> [StoredSpan] {
    let s = try db.prepare(
      """
      SELECT s.trace_id, s.span_id, s.parent_span_id, s.trace_state, s.name, s.span_kind, s.flags, s.start_ns, s.end_ns,
             s.status_code, s.status_message, s.attributes, s.dropped_attributes_count, s.events, s.dropped_events_count,
             s.links, s.dropped_links_count, r.attributes, r.dropped_attributes_count, r.schema_url,
             c.name, c.version, c.attributes, c.dropped_attributes_count, c.schema_url
      FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes c ON c.id = s.scope_id
      \(traceID == nil ? "" : "WHERE s.trace_id = ?1") ORDER BY s.trace_id, s.span_id
      """)
    s.bind(1, traceID)
    var out: [StoredSpan] = []
    while try s.step() {
      var span = Span()
      span.traceID = s.string(0)
      span.spanID = s.string(1)
      span.parentSpanID = s.string(2)
      span.traceState = s.string(3)
      span.name = s.string(4)
      span.kind = Int32(truncatingIfNeeded: s.int(5))
      span.flags = UInt32(truncatingIfNeeded: s.int(6))
      span.startTimeUnixNano = s.int(7)
      span.endTimeUnixNano = s.int(8)
      span.status = SpanStatus(code: Int32(truncatingIfNeeded: s.int(9)), message: s.string(10))
      span.attributes = try StoredJSON.readAttributes(s.string(11))
      span.droppedAttributesCount = UInt32(truncatingIfNeeded: s.int(12))
      span.events = try StoredJSON.readEvents(s.string(13))
      span.droppedEventsCount = UInt32(truncatingIfNeeded: s.int(14))
      span.links = try StoredJSON.readLinks(s.string(15))
      span.droppedLinksCount = UInt32(truncatingIfNeeded: s.int(16))
      var resource = Resource()
      resource.attributes = try StoredJSON.readAttributes(s.string(17))
      resource.droppedAttributesCount = UInt32(truncatingIfNeeded: s.int(18))
      var scope = InstrumentationScope()
      scope.name = s.string(20)
      scope.version = s.string(21)
      scope.attributes = try StoredJSON.readAttributes(s.string(22))
      scope.droppedAttributesCount = UInt32(truncatingIfNeeded: s.int(23))
      out.append(StoredSpan(resource: resource, resourceSchemaURL: s.string(19), scope: scope, scopeSchemaURL: s.string(24), span: span))
    }
    return out
  }
}

extension SQLiteSpanStore {
  /// LLM calls (entry spans) starting in `range` that pass `filter`, as `selection` orders
  /// them; at most `limit`.
  public func llmCalls(in range: TimeRange, filter: SpanFilter = SpanFilter(), selection: LLMCallSelection, limit: Int) throws -> [LLMCallRow] {
    let order: String
    switch selection {
    case .slowest: order = "s.end_ns - s.start_ns DESC, s.trace_id, s.span_id"
    case .failed, .latest: order = "s.start_ns DESC, s.trace_id, s.span_id"
    case .heaviest: order = "9 DESC, s.trace_id, s.span_id"
    }
    let q = try db.prepare(
      """
      SELECT s.trace_id, s.span_id, s.app, s.name, s.start_ns, s.end_ns - s.start_ns, s.is_error,
             coalesce(nullif(s.status_message, ''), s.error_message),
             (SELECT coalesce(sum(coalesce(t.input_tokens, 0) + coalesce(t.output_tokens, 0)), 0) FROM spans t
              WHERE t.trace_id = s.trace_id AND t.op_kind IN ('llm', 'embedding') AND t.duplicate_of IS NULL)
      FROM spans s
      WHERE s.is_entry = 1 AND s.start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s")) AND (?6 = 0 OR s.is_error = 1)
      ORDER BY \(order) LIMIT ?7
      """)
    q.bind(1, range.from)
    q.bind(2, range.to)
    filter.bind(q)
    q.bind(6, selection == .failed)
    q.bind(7, limit)
    var rows: [LLMCallRow] = []
    while try q.step() {
      rows.append(
        LLMCallRow(
          traceID: q.string(0), spanID: q.string(1), app: q.string(2), name: q.string(3), startNanos: q.int(4),
          durationMs: Double(q.int(5)) / 1e6, isError: q.int(6) != 0, statusMessage: q.optionalString(7), tokens: q.int(8)))
    }
    return rows
  }
}

extension SQLiteSpanStore {
  /// Tags, last span end and LLM calls per bucket of every app with spans in `range`.
  public func appDetails(in range: TimeRange, filter: SpanFilter = SpanFilter()) throws -> [String: AppDetails] {
    var out: [String: AppDetails] = [:]
    let last = try db.prepare("SELECT s.app, max(s.end_ns) FROM spans s WHERE s.start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s")) GROUP BY s.app")
    last.bind(1, range.from)
    last.bind(2, range.to)
    filter.bind(last)
    while try last.step() { out[last.string(0), default: AppDetails()].lastSeen = last.int(1) }

    let res = try db.prepare(
      """
      SELECT x.app, r.attributes FROM resources r
      JOIN (SELECT s.app, s.resource_id FROM spans s WHERE s.start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s"))
            GROUP BY s.app, s.resource_id) x ON x.resource_id = r.id
      """)
    res.bind(1, range.from)
    res.bind(2, range.to)
    filter.bind(res)
    var tags: [String: Set<String>] = [:]
    while try res.step() {
      for kv in try StoredJSON.readAttributes(res.string(1)) where AppDetails.isTag(kv.key) {
        guard let v = kv.value.text, !v.isEmpty else { continue }
        tags[res.string(0), default: []].insert("\(kv.key)=\(v)")
      }
    }
    for (app, t) in tags { out[app, default: AppDetails()].tags = t.sorted() }

    let b = Bucketing(range: range, maxBuckets: 48)
    for app in out.keys { out[app]?.trend = [Double](repeating: 0, count: b.count) }
    let trend = try db.prepare(
      """
      SELECT s.app, (s.start_ns - ?6) / ?7, count(*) FROM spans s
      WHERE s.is_entry = 1 AND s.start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s")) GROUP BY 1, 2
      """)
    trend.bind(1, range.from)
    trend.bind(2, range.to)
    filter.bind(trend)
    trend.bind(6, b.start)
    trend.bind(7, b.size)
    while try trend.step() {
      let i = Int(trend.int(1))
      if i >= 0 && i < b.count { out[trend.string(0)]?.trend[i] = Double(trend.int(2)) }
    }
    return out
  }
}

/// Which traces get a page (`--trace-pages`).
public enum TracePageSelection: Sendable, Equatable {
  case all
  /// Traces with an error span.
  case errors
  /// The N longest traces.
  case slowest(Int)
  /// N traces picked by a hash of their id: the same N for the same store.
  case sample(Int)
  /// These traces, wherever they start (those in the store).
  case ids([String])

  /// Parses `all`, `errors`, `slowest:N`, `sample:N`.
  public init?(_ text: String) {
    switch text {
    case "all": self = .all
    case "errors": self = .errors
    default:
      let parts = text.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { return nil }
      switch parts[0] {
      case "slowest": self = .slowest(n)
      case "sample": self = .sample(n)
      default: return nil
      }
    }
  }
}

extension SQLiteSpanStore {
  /// Ids of the traces with a span starting in `range` that `selection` picks, sorted.
  public func traceIDs(in range: TimeRange, selection: TracePageSelection) throws -> [String] {
    let sql: String
    switch selection {
    case .ids(let wanted):
      let q = try db.prepare("SELECT 1 FROM spans WHERE trace_id = ?1 LIMIT 1")
      var found: [String] = []
      for id in Set(wanted) {
        q.reset()
        q.bind(1, id)
        if try q.step() { found.append(id) }
      }
      return found.sorted()
    case .all, .sample: sql = "SELECT DISTINCT trace_id FROM spans WHERE start_ns BETWEEN ?1 AND ?2"
    case .errors: sql = "SELECT DISTINCT trace_id FROM spans WHERE start_ns BETWEEN ?1 AND ?2 AND is_error = 1"
    case .slowest:
      sql = """
        SELECT trace_id FROM spans WHERE trace_id IN (SELECT DISTINCT trace_id FROM spans WHERE start_ns BETWEEN ?1 AND ?2)
        GROUP BY trace_id ORDER BY max(end_ns) - min(start_ns) DESC, trace_id LIMIT ?3
        """
    }
    let q = try db.prepare(sql)
    q.bind(1, range.from)
    q.bind(2, range.to)
    if case .slowest(let n) = selection { q.bind(3, n) }
    var ids: [String] = []
    while try q.step() { ids.append(q.string(0)) }
    if case .sample(let n) = selection {
      ids = Array(ids.sorted { (Fingerprint.fnv1a64($0), $0) < (Fingerprint.fnv1a64($1), $1) }.prefix(n))
    }
    return ids.sorted()
  }
}

extension SQLiteSpanStore {
  /// Every span of `filter` starting in `range`, slowest first (ties by trace and span id),
  /// optionally only failed ones, at most `limit` (0: all); rows are handed over as read,
  /// never held together.
  public func forEachSpan(
    in range: TimeRange, filter: SpanFilter = SpanFilter(), onlyErrors: Bool = false, limit: Int = 0, _ body: (SpanRow) throws -> Void
  ) throws {
    let q = try db.prepare(
      """
      SELECT s.trace_id, s.span_id, s.app, s.op_kind, s.name, s.start_ns, s.end_ns - s.start_ns, s.is_error,
             coalesce(s.response_model, s.request_model),
             coalesce(s.total_tokens, CASE WHEN s.input_tokens IS NULL AND s.output_tokens IS NULL THEN NULL
                                           ELSE coalesce(s.input_tokens, 0) + coalesce(s.output_tokens, 0) END)
      FROM spans s WHERE s.start_ns BETWEEN ?1 AND ?2 AND \(filter.sql("s")) AND (?6 = 0 OR s.is_error = 1)
      ORDER BY s.end_ns - s.start_ns DESC, s.trace_id, s.span_id LIMIT ?7
      """)
    q.bind(1, range.from)
    q.bind(2, range.to)
    filter.bind(q)
    q.bind(6, onlyErrors)
    q.bind(7, limit > 0 ? limit : -1)
    while try q.step() {
      try body(
        SpanRow(
          traceID: q.string(0), spanID: q.string(1), app: q.string(2), kind: OperationKind(rawValue: q.string(3)) ?? .other, name: q.string(4),
          startNanos: q.int(5), durationNanos: q.int(6), isError: q.int(7) != 0, model: q.optionalString(8), tokens: q.optionalInt(9)))
    }
  }
}

extension SQLiteSpanStore {
  /// Runs `body` in one read transaction: every query in it sees the store as it was at the
  /// first one, whatever other connections commit meanwhile (WAL snapshots).
  public func inOneSnapshot<T>(_ body: () throws -> T) throws -> T {
    try db.execute("BEGIN DEFERRED")
    defer { try? db.execute("COMMIT") }
    return try body()
  }
}

extension SQLiteSpanStore: SpanStore {
  public var name: String { path }

  public func storedSpans(traceID: String) throws -> [StoredSpan] { try storedSpans(traceID: Optional(traceID)) }
}
