/// Time buckets for a range: the smallest of 1 min … 1 day that gives at most `maxBuckets`,
/// aligned to UTC multiples of the bucket size.
public struct Bucketing: Sendable, Equatable {
  public static let sizes: [Int64] = [60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400].map { $0 * 1_000_000_000 }
  public var start: Int64
  public var size: Int64
  public var count: Int

  /// `count` buckets of `size` from `start` (the nights of an archive: one per day).
  public init(start: Int64, size: Int64, count: Int) {
    self.start = start
    self.size = size
    self.count = count
  }

  public init(range: TimeRange, maxBuckets: Int = 96) {
    let span = max(range.to - range.from, 1)
    size = Self.sizes.first { span / $0 < Int64(maxBuckets) } ?? Self.sizes.last!
    let aligned = range.from >= 0 ? range.from / size * size : (range.from - size + 1) / size * size
    start = aligned
    count = max(1, Int((range.to - aligned) / size) + 1)
  }

  public func index(of time: Int64) -> Int? {
    guard time >= start else { return nil }
    let i = Int((time - start) / size)
    return i < count ? i : nil
  }

  public func bucketStart(_ i: Int) -> Int64 { start + Int64(i) * size }
}

/// Figures per time bucket, for charts over time.
public struct TimeSeries: Sendable {
  public var bucketing: Bucketing
  /// One `Figures` per bucket, oldest first.
  public var points: [Figures]

  /// Builds the series of `range` from summary rows (spans count in the bucket they start in).
  public static func build(range: TimeRange, prices: PriceTable, rows: (_ body: (SummaryRow) -> Void) throws -> Void) rethrows -> TimeSeries {
    let b = Bucketing(range: range)
    var lookup = PriceLookup(prices)
    var acc = [FigureAccumulator](repeating: FigureAccumulator(), count: b.count)
    try rows { row in
      guard let i = b.index(of: row.startNanos) else { return }
      acc[i].spans += 1
      if row.isEntry { acc[i].addEntry(durationMs: row.durationMs, isError: row.isError) }
      if row.kind.isModelCall && row.isCounted { acc[i].addModelCall(row, price: lookup.row(for: row)) }
    }
    return TimeSeries(bucketing: b, points: acc.map(\.figures))
  }
}
