/// Spans in ClickHouse, in the OpenTelemetry Collector exporter's `otel_traces` table.
///
/// Attribute values are strings there (the exporter writes each `AnyValue` as text, structured
/// values as JSON); the conventions read numbers and flags from that text.
public final class ClickHouseSpanStore: Sendable {
  public let client: ClickHouseClient
  let figureCache = FigureRowsCache()
  public var location: ClickHouseLocation { client.location }

  public init(_ location: ClickHouseLocation) { client = ClickHouseClient(location) }

  /// Checks that the table is there with the exporter's columns.
  public func checkSchema() throws(ClickHouseError) {
    let text = String(decoding: try client.query("DESCRIBE TABLE \(location.qualifiedTable) FORMAT TabSeparated"), as: UTF8.self)
    let described = text.split(separator: "\n").compactMap { line -> (name: String, type: String)? in
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      return f.count >= 2 ? (String(f[0]), String(f[1])) : nil
    }
    let problems = ClickHouseSchema.problems(described)
    guard problems.isEmpty else {
      throw ClickHouseError(
        message: "\(location.database).\(location.table) at \(location.description) is not the OpenTelemetry Collector's otel_traces schema: "
          + problems.joined(separator: "; "),
        hint: "point ?table= at the table the Collector's ClickHouse exporter writes; another exporter version may name or type its columns differently")
    }
  }

  /// Creates the database and the exporter's table when missing, then checks the schema.
  public func prepareForWriting() throws(ClickHouseError) {
    _ = try client.query("CREATE DATABASE IF NOT EXISTS `\(location.database)`")
    _ = try client.query(ClickHouseSchema.create(location.qualifiedTable))
    try checkSchema()
  }

  /// Number of spans stored.
  public func spanCount() throws(ClickHouseError) -> Int {
    Int(String(decoding: try client.query("SELECT count() FROM \(location.qualifiedTable)"), as: UTF8.self).trimmingSpaces) ?? 0
  }

  /// The first span start and the last span end; `nil` when the table is empty.
  public func timeBounds() throws(ClickHouseError) -> TimeRange? {
    let text = String(decoding: try client.query(
      "SELECT count(), toUnixTimestamp64Nano(min(Timestamp)), max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) FROM \(location.qualifiedTable) FORMAT TabSeparated"), as: UTF8.self)
    let f = text.trimmingSpaces.split(separator: "\t").map { Int64($0) ?? 0 }
    guard f.count == 3, f[0] > 0 else { return nil }
    return TimeRange(from: f[1], to: max(f[1], f[2]))
  }
}


extension ClickHouseSpanStore: SpanSink {
  /// Writes a batch as one INSERT (atomic in ClickHouse), leaving out spans the table
  /// already has, so ingesting a file twice adds nothing.
  public func insert(_ batch: PreparedBatch) throws -> InsertResult {
    var traceIDs = Set<String>()
    for r in batch.resources { for sc in r.scopes { for row in sc.spans { traceIDs.insert(row.span.traceID) } } }
    var existing = Set<String>()
    if !traceIDs.isEmpty {
      let list = ClickHouseClient.arrayParameter(traceIDs.sorted())
      let text = String(decoding: try client.query(
        "SELECT TraceId, SpanId FROM \(location.qualifiedTable) WHERE TraceId IN {ids:Array(String)} FORMAT TabSeparated", params: ["ids": list]), as: UTF8.self)
      for line in text.split(separator: "\n") { existing.insert(String(line)) }
    }
    var result = InsertResult()
    var w = JSONWriter(capacity: 1 << 20)
    for r in batch.resources {
      let resourceAttributes = try StoredJSON.readAttributes(r.attributes)
      let service = resourceAttributes.first { $0.key == ConventionTable.appKey }?.value.text ?? ""
      for sc in r.scopes {
        var scope = InstrumentationScope()
        scope.name = sc.name
        scope.version = sc.version
        for row in sc.spans {
          var span = row.span
          guard existing.insert("\(span.traceID)\t\(span.spanID)").inserted else {
            result.duplicates += 1
            continue
          }
          span.attributes = try StoredJSON.readAttributes(String(decoding: row.attributes, as: UTF8.self))
          span.events = try StoredJSON.readEvents(String(decoding: row.events, as: UTF8.self))
          span.links = try StoredJSON.readLinks(String(decoding: row.links, as: UTF8.self))
          ClickHouseRows.row(span, resource: resourceAttributes, service: service, scope: scope, into: &w)
          result.stored += 1
        }
      }
    }
    if result.stored > 0 { _ = try client.query("INSERT INTO \(location.qualifiedTable) SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow", data: w.bytes) }
    return result
  }

  /// Every span of one trace, ordered by span id.
  public func storedSpans(traceID: String) throws -> [StoredSpan] {
    let rows = try client.rows(
      "SELECT \(ClickHouseRows.selectList) FROM \(location.qualifiedTable) WHERE TraceId = {id:String} ORDER BY SpanId", params: ["id": traceID])
    var out: [StoredSpan] = []
    for row in rows {
      guard let s = ClickHouseRows.read(.array(row)) else {
        throw ClickHouseError(message: "\(location.description) sent a span row llmscope cannot read (\(row.count) columns)", hint: nil)
      }
      out.append(s)
    }
    return out
  }
}
