/// Locale-free number formatting, so output is the same on every machine.
public enum NumberFormatting {
  /// The shortest text that reads back as the same double (`1.0` stays `1.0`); `NaN`,
  /// `Infinity`, `-Infinity` for non-finite values.
  public static func shortest(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    return d.description
  }

  /// `d` rounded to `places` decimals, without trailing zeros beyond one decimal.
  public static func fixed(_ d: Double, places: Int) -> String {
    if !d.isFinite { return shortest(d) }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let r = (d * scale).rounded() / scale
    return r == 0 ? "0.0" : r.description
  }
}
