/// Percentiles by linear interpolation between closest ranks (numpy's default, Excel's
/// PERCENTILE.INC): for n sorted values, rank h = (n − 1)·p, between x[⌊h⌋] and x[⌊h⌋+1].
public enum Percentile {
  /// The `p` quantile (0…1) of ascending `sorted` values; `nil` when empty.
  public static func linear(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let h = Double(sorted.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
  }

  /// The `p` quantile by nearest rank: the smallest value with at least p·n values ≤ it.
  public static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
  }
}

/// Average and percentiles of a set of durations, in milliseconds.
public struct LatencyStats: Sendable, Equatable {
  public var count = 0
  public var avg: Double?
  public var p50: Double?
  public var p90: Double?
  public var p95: Double?
  public var p99: Double?
  public var max: Double?

  public init() {}

  /// Statistics a store computed (ClickHouse's `quantileExactInclusive` is `Percentile.linear`).
  init(count: Int, avg: Double?, p50: Double?, p90: Double?, p95: Double?, p99: Double?, max: Double?) {
    (self.count, self.avg, self.p50, self.p90, self.p95, self.p99, self.max) = (count, avg, p50, p90, p95, p99, max)
  }

  public init(milliseconds values: [Double]) {
    let sorted = values.sorted()
    count = sorted.count
    guard !sorted.isEmpty else { return }
    avg = sorted.reduce(0, +) / Double(sorted.count)
    p50 = Percentile.linear(sorted, 0.50)
    p90 = Percentile.linear(sorted, 0.90)
    p95 = Percentile.linear(sorted, 0.95)
    p99 = Percentile.linear(sorted, 0.99)
    max = sorted.last
  }
}
