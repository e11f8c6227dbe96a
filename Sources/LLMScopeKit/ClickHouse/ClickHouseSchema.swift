/// The `otel_traces` table as the OpenTelemetry Collector's ClickHouse exporter writes it.
enum ClickHouseSchema {
  /// Column → type, with `LowCardinality(…)` removed (both spellings are accepted).
  static let columns: [(name: String, type: String)] = [
    ("Timestamp", "DateTime64(9)"), ("TraceId", "String"), ("SpanId", "String"), ("ParentSpanId", "String"),
    ("TraceState", "String"), ("SpanName", "String"), ("SpanKind", "String"), ("ServiceName", "String"),
    ("ResourceAttributes", "Map(String, String)"), ("ScopeName", "String"), ("ScopeVersion", "String"),
    ("SpanAttributes", "Map(String, String)"), ("Duration", "UInt64"), ("StatusCode", "String"), ("StatusMessage", "String"),
    ("Events.Timestamp", "Array(DateTime64(9))"), ("Events.Name", "Array(String)"), ("Events.Attributes", "Array(Map(String, String))"),
    ("Links.TraceId", "Array(String)"), ("Links.SpanId", "Array(String)"), ("Links.TraceState", "Array(String)"),
    ("Links.Attributes", "Array(Map(String, String))"),
  ]

  /// The exporter's table, made by `ingest` when it is missing.
  static func create(_ table: String) -> String {
    """
    CREATE TABLE IF NOT EXISTS \(table) (
      Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      ParentSpanId String CODEC(ZSTD(1)),
      TraceState String CODEC(ZSTD(1)),
      SpanName LowCardinality(String) CODEC(ZSTD(1)),
      SpanKind LowCardinality(String) CODEC(ZSTD(1)),
      ServiceName LowCardinality(String) CODEC(ZSTD(1)),
      ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      ScopeName String CODEC(ZSTD(1)),
      ScopeVersion String CODEC(ZSTD(1)),
      SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      Duration UInt64 CODEC(ZSTD(1)),
      StatusCode LowCardinality(String) CODEC(ZSTD(1)),
      StatusMessage String CODEC(ZSTD(1)),
      Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
      Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
    ) ENGINE = MergeTree
    PARTITION BY toDate(Timestamp)
    ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
    """
  }

  /// `Map(LowCardinality(String), String)` → `Map(String, String)`.
  static func normalized(_ type: String) -> String {
    var t = type
    while let r = t.range(of: "LowCardinality(") {
      // Drop the wrapper and its matching parenthesis.
      var depth = 1
      var i = r.upperBound
      while i < t.endIndex, depth > 0 {
        if t[i] == "(" { depth += 1 } else if t[i] == ")" { depth -= 1 }
        if depth > 0 { i = t.index(after: i) }
      }
      let inner = t[r.upperBound..<i]
      t = String(t[..<r.lowerBound]) + inner + (i < t.endIndex ? String(t[t.index(after: i)...]) : "")
    }
    return t
  }

  /// Problems with a table's columns (from `DESCRIBE TABLE`): missing columns and columns
  /// of another type; empty when it is the exporter's schema.
  static func problems(_ described: [(name: String, type: String)]) -> [String] {
    let have = Dictionary(described.map { ($0.name, normalized($0.type)) }, uniquingKeysWith: { a, _ in a })
    var out: [String] = []
    for c in columns {
      guard let t = have[c.name] else {
        out.append("no column \(c.name) \(c.type)")
        continue
      }
      // Duration is Int64 in some exporter versions; both hold nanoseconds.
      if t != c.type && !(c.name == "Duration" && t == "Int64") { out.append("\(c.name) is \(t), not \(c.type)") }
    }
    return out
  }
}
