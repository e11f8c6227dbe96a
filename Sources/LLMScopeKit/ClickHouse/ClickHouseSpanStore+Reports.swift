import Foundation

/// Reports over `otel_traces`, computed by ClickHouse: figures, percentiles, time buckets and
/// groups come back as aggregates (`FiguresSQL`), trace lists as the rows they show, and trace
/// pages one trace at a time.
extension ClickHouseSpanStore: SpanStore {
  public var name: String { location.description }

  /// The filter with the tokens of its business system, found by their fingerprints.
  func resolved(_ filter: SpanFilter) throws(ClickHouseError) -> ClickHouseFilter {
    var f = ClickHouseFilter(filter: filter)
    if let fingerprint = filter.businessSystem {
      let rows = try client.rows(
        "SELECT DISTINCT \(SpanRowsSQL.token) FROM \(location.qualifiedTable) WHERE isNotNull(\(SpanRowsSQL.token))")
      f.tokens = rows.compactMap { $0.first?.string }.filter { Fingerprint.of($0) == fingerprint }.sorted()
    }
    return f
  }

  private func rows(_ f: ClickHouseFilter) -> String { SpanRowsSQL(table: location.qualifiedTable, filter: f).rows }

  private func unreadable(_ row: [JSONValue]) -> ClickHouseError {
    ClickHouseError(message: "\(location.description) answered a row llmscope cannot read (\(row.count) columns)", hint: nil)
  }

  /// The answer of the figures query for `range` and `filter`: every group of the summary
  /// and every time bucket of the series, in one query, asked once per store (a page asks for
  /// both, and several pages for the same range).
  private func figureRows(_ range: TimeRange, _ filter: SpanFilter) throws -> [[JSONValue]] {
    let key = FigureRowsCache.Key(range: range, filter: filter)
    if let hit = figureCache[key] { return hit }
    let f = try resolved(filter)
    let b = Bucketing(range: range)
    var params = f.params(range)
    params["bucket_start"] = String(b.start)
    params["bucket_size"] = String(b.size)
    let groups = "arrayConcat(\(FiguresSQL.summaryGroups), \(FiguresSQL.bucketGroups))"
    let rows = try client.rows(FiguresSQL.query(rows: rows(f), groups: groups), params: params)
    figureCache[key] = rows
    return rows
  }

  public func summary(in range: TimeRange?, filter: SpanFilter, prices: PriceTable) throws -> Summary {
    let r = try range ?? timeBounds() ?? TimeRange(from: 0, to: 0)
    var lookup = PriceLookup(prices)
    var groups = SummaryGroups()
    for row in try figureRows(r, filter) {
      guard let g = FiguresSQL.group(row, prices: &lookup) else { throw unreadable(row) }
      let model = SummaryGroups.ModelGroup(kind: g.modelKind, providers: g.providers, requests: g.requestModels, figures: g.figures)
      switch g.kind {
      case "all": groups.totals = g.figures
      case "app": groups.apps[g.name] = (g.token.map(Fingerprint.of), g.figures)
      case "system": groups.systems[Fingerprint.of(g.name)] = (g.apps, g.figures)
      case "no_system": groups.systems[nil] = (g.apps, g.figures)
      case "model": groups.models[g.name] = model
      case "request_model": groups.requestModels[g.name] = model
      case "bucket": continue
      default: throw unreadable(row)
      }
    }
    return Summary(range: r, prices: prices, groups: groups)
  }

  public func series(in range: TimeRange, filter: SpanFilter, prices: PriceTable) throws -> TimeSeries {
    let b = Bucketing(range: range)
    var lookup = PriceLookup(prices)
    var points = [Figures](repeating: Figures(), count: b.count)
    for row in try figureRows(range, filter) where row.first?.string == "bucket" {
      guard let g = FiguresSQL.group(row, prices: &lookup) else { throw unreadable(row) }
      if let i = Int(g.name), points.indices.contains(i) { points[i] = g.figures }
    }
    return TimeSeries(bucketing: b, points: points)
  }

  public func llmCalls(in range: TimeRange, filter: SpanFilter, selection: LLMCallSelection, limit: Int) throws -> [LLMCallRow] {
    let f = try resolved(filter)
    let order: String
    switch selection {
    case .slowest: order = "end_ns - start_ns DESC, trace_id, span_id"
    case .failed, .latest: order = "start_ns DESC, trace_id, span_id"
    case .heaviest: order = "trace_tokens DESC, trace_id, span_id"
    }
    var params = f.params(range)
    params["limit"] = String(max(0, limit))
    let sql = """
      SELECT trace_id, span_id, app, name, toString(start_ns), toString(end_ns - start_ns), is_error, coalesce(nullIf(status_message, ''), error_message), trace_tokens
      FROM \(rows(f)) WHERE is_entry = 1\(selection == .failed ? " AND is_error = 1" : "") ORDER BY \(order) LIMIT {limit:UInt64}
      """
    return try client.rows(sql, params: params).map { r throws(ClickHouseError) in
      guard r.count == 9 else { throw unreadable(r) }
      return LLMCallRow(
        traceID: r[0].string ?? "", spanID: r[1].string ?? "", app: r[2].string ?? "", name: r[3].string ?? "", startNanos: r[4].int64 ?? 0,
        durationMs: Double(r[5].int64 ?? 0) / 1e6, isError: r[6].int64 == 1, statusMessage: r[7].string, tokens: r[8].int64 ?? 0)
    }
  }

  public func forEachSpan(in range: TimeRange, filter: SpanFilter, onlyErrors: Bool, limit: Int, _ body: (SpanRow) throws -> Void) throws {
    let f = try resolved(filter)
    let sql = """
      SELECT trace_id, span_id, app, op_kind, name, toString(start_ns), toString(end_ns - start_ns), is_error, model,
        coalesce(total_tokens, if(isNull(input_tokens) AND isNull(output_tokens), NULL, ifNull(input_tokens, 0) + ifNull(output_tokens, 0)))
      FROM \(rows(f))\(onlyErrors ? " WHERE is_error = 1" : "") ORDER BY end_ns - start_ns DESC, trace_id, span_id\(limit > 0 ? " LIMIT \(limit)" : "")
      """
    for r in try client.rows(sql, params: f.params(range)) {
      guard r.count == 10 else { throw unreadable(r) }
      try body(
        SpanRow(
          traceID: r[0].string ?? "", spanID: r[1].string ?? "", app: r[2].string ?? "", kind: r[3].string.flatMap(OperationKind.init(rawValue:)) ?? .other,
          name: r[4].string ?? "", startNanos: r[5].int64 ?? 0, durationNanos: r[6].int64 ?? 0, isError: r[7].int64 == 1, model: r[8].string,
          tokens: r[9].int64))
    }
  }

  public func traceIDs(in range: TimeRange, selection: TracePageSelection) throws -> [String] {
    let table = location.qualifiedTable
    let inRange = SpanRowsSQL.inRange
    var params = ["from": String(range.from), "to": String(range.to)]
    let sql: String
    switch selection {
    case .ids(let wanted):
      params = ["ids": ClickHouseClient.arrayParameter(Set(wanted).sorted())]
      sql = "SELECT DISTINCT TraceId FROM \(table) WHERE TraceId IN {ids:Array(String)}"
    case .all, .sample: sql = "SELECT DISTINCT TraceId FROM \(table) WHERE \(inRange)"
    case .errors:
      sql = """
        SELECT DISTINCT TraceId FROM (
          SELECT TraceId, StatusCode, Events.Name AS event_names, SpanAttributes, \(ConventionSQL.ruleColumns) FROM \(table) WHERE \(inRange))
        WHERE \(SpanRowsSQL.isError) = 1
        """
    case .slowest(let n):
      params["limit"] = String(n)
      sql = """
        SELECT TraceId FROM \(table) WHERE TraceId IN (SELECT TraceId FROM \(table) WHERE \(inRange))
        GROUP BY TraceId ORDER BY max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) - min(toUnixTimestamp64Nano(Timestamp)) DESC, TraceId
        LIMIT {limit:UInt64}
        """
    }
    var ids = try client.rows(sql + "", params: params).compactMap { $0.first?.string }
    if case .sample(let n) = selection {
      ids = Array(ids.sorted { (Fingerprint.fnv1a64($0), $0) < (Fingerprint.fnv1a64($1), $1) }.prefix(n))
    }
    return ids.sorted()
  }

  public func appDetails(in range: TimeRange, filter: SpanFilter) throws -> [String: AppDetails] {
    let f = try resolved(filter)
    let params = f.params(range)
    var out: [String: AppDetails] = [:]
    for r in try client.rows("SELECT app, toString(max(end_ns)) FROM \(rows(f)) GROUP BY app", params: params) {
      out[r[0].string ?? "", default: AppDetails()].lastSeen = r[1].int64 ?? 0
    }
    var tags: [String: Set<String>] = [:]
    for r in try client.rows("SELECT DISTINCT app, resource FROM \(rows(f))", params: params) {
      guard r.count == 2, let app = r[0].string, case .object(let attributes) = r[1] else { continue }
      for (key, value) in attributes where AppDetails.isTag(key) {
        guard let v = value.string, !v.isEmpty else { continue }
        tags[app, default: []].insert("\(key)=\(v)")
      }
    }
    for (app, t) in tags { out[app, default: AppDetails()].tags = t.sorted() }

    let b = Bucketing(range: range, maxBuckets: 48)
    for app in out.keys { out[app]?.trend = [Double](repeating: 0, count: b.count) }
    var trendParams = params
    trendParams["bucket_start"] = String(b.start)
    trendParams["bucket_size"] = String(b.size)
    let trend = """
      SELECT app, intDiv(start_ns - {bucket_start:Int64}, {bucket_size:Int64}), count() FROM \(rows(f)) WHERE is_entry = 1 GROUP BY 1, 2
      """
    for r in try client.rows(trend, params: trendParams) {
      guard r.count == 3, let app = r[0].string, let i = r[1].int64.map(Int.init), i >= 0, i < b.count else { continue }
      out[app]?.trend[i] = Double(r[2].int64 ?? 0)
    }
    return out
  }

  public func spanCount(traceID: String) throws -> Int {
    let r = try client.rows("SELECT count() FROM \(location.qualifiedTable) WHERE TraceId = {id:String}", params: ["id": traceID])
    return Int(r.first?.first?.int64 ?? 0)
  }

  /// ClickHouse has no read transactions: the reads of a build see the table as each finds it.
  public func inOneSnapshot<T>(_ body: () throws -> T) throws -> T { try body() }
}

/// Figures answers by range and filter, kept for the life of a store value: one command's.
final class FigureRowsCache: @unchecked Sendable {
  struct Key: Hashable {
    var range: TimeRange
    var filter: SpanFilter
  }
  private let lock = NSLock()
  private var answers: [Key: [[JSONValue]]] = [:]

  subscript(key: Key) -> [[JSONValue]]? {
    get { lock.withLock { answers[key] } }
    set { lock.withLock { answers[key] = newValue } }
  }
}
