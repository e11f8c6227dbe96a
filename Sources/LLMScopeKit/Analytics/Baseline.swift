/// The range a report compares with (`--baseline-from`, `--baseline-to`).
public enum Baseline {
  /// Both ends given: that range. One end given: a range of `range`'s length from or to it.
  /// Neither: the period of equal length just before `range`.
  public static func window(of range: TimeRange, from: Int64?, to: Int64?) -> TimeRange {
    let length = range.to - range.from
    switch (from, to) {
    case let (f?, t?): return TimeRange(from: f, to: t)
    case let (f?, nil): return TimeRange(from: f, to: f + length)
    case let (nil, t?): return TimeRange(from: t - length, to: t)
    case (nil, nil): return TimeRange(from: range.from - length - 1, to: range.from - 1)
    }
  }
}
