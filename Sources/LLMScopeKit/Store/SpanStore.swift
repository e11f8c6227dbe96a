import Foundation

/// What pages, `summary` and `incident` read from a span store. The SQLite store and the
/// ClickHouse store answer every question alike, so a report does not know which it reads.
///
/// Ranges are closed, in nanoseconds since the Unix epoch; a span belongs to the range it
/// starts in. Figures follow `Summary.build`'s rules whichever store computes them.
public protocol SpanStore: AnyObject {
  /// How messages name the store: its path or its URL without credentials.
  var name: String { get }
  /// The first span start and the last span end; `nil` when the store is empty.
  func timeBounds() throws -> TimeRange?
  /// The summary of `range` (the whole store when `nil`) for the spans that pass `filter`,
  /// with costs at `prices`.
  func summary(in range: TimeRange?, filter: SpanFilter, prices: PriceTable) throws -> Summary
  /// Figures per time bucket (`Bucketing(range:)`) of `range` for the spans that pass `filter`.
  func series(in range: TimeRange, filter: SpanFilter, prices: PriceTable) throws -> TimeSeries
  /// LLM calls (entry spans) starting in `range` that pass `filter`, as `selection` orders
  /// them; at most `limit`.
  func llmCalls(in range: TimeRange, filter: SpanFilter, selection: LLMCallSelection, limit: Int) throws -> [LLMCallRow]
  /// Every span of `filter` starting in `range`, slowest first (ties by trace and span id),
  /// optionally only failed ones, at most `limit` (0: all), handed over as read.
  func forEachSpan(in range: TimeRange, filter: SpanFilter, onlyErrors: Bool, limit: Int, _ body: (SpanRow) throws -> Void) throws
  /// Every span of one trace, ordered by span id.
  func storedSpans(traceID: String) throws -> [StoredSpan]
  /// Ids of the traces with a span starting in `range` that `selection` picks, sorted.
  func traceIDs(in range: TimeRange, selection: TracePageSelection) throws -> [String]
  /// Tags, last span end and LLM calls per bucket of every app with spans in `range`.
  func appDetails(in range: TimeRange, filter: SpanFilter) throws -> [String: AppDetails]
  /// Number of spans stored.
  func spanCount() throws -> Int
  /// Number of spans stored of one trace.
  func spanCount(traceID: String) throws -> Int
  /// Runs `body` so that every read in it sees one state of the store, where the store can
  /// promise that.
  func inOneSnapshot<T>(_ body: () throws -> T) throws -> T
}

extension SpanStore {
  public func summary(in range: TimeRange? = nil, filter: SpanFilter = SpanFilter(), prices: PriceTable = .bundled) throws -> Summary {
    try summary(in: range, filter: filter, prices: prices)
  }
}

/// Opens the store a report reads: a ClickHouse URL (`clickhouse://…`, `clickhouses://…`),
/// else a SQLite store file.
public enum SpanStores {
  public static func open(_ store: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any SpanStore {
    if ClickHouseLocation.isURL(store) {
      let ch = ClickHouseSpanStore(try ClickHouseLocation(store, environment: environment))
      try ch.checkSchema()
      return ch
    }
    return try SQLiteSpanStore(path: store, create: false, readOnly: true)
  }
}
