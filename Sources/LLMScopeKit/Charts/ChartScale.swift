/// What a chart's numbers measure, for axis labels and exact values.
public enum ChartUnit: Sendable {
  case count, milliseconds, ratio, tokens, rate, usd

  var isWhole: Bool { self == .count || self == .tokens }

  /// An exact value, as in hover text and data tables.
  func exact(_ v: Double) -> String {
    switch self {
    case .count, .tokens: return FigureName.grouped(Int64(v.rounded()))
    case .milliseconds: return NumberFormatting.fixed(v, places: 1) + " ms"
    case .ratio: return NumberFormatting.fixed(v * 100, places: 2) + "%"
    case .rate: return NumberFormatting.fixed(v, places: 1) + "/s"
    case .usd: return USD(pico: Int128((v * 1e12).rounded())).display
    }
  }

  /// A short axis label for a tick at `v`, given the axis maximum.
  func tick(_ v: Double, max: Double) -> String {
    switch self {
    case .count, .tokens:
      if max >= 1_000_000 { return trim(v / 1_000_000) + "M" }
      if max >= 10_000 { return trim(v / 1000) + "k" }
      return FigureName.grouped(Int64(v.rounded()))
    case .milliseconds: return max >= 2000 ? trim(v / 1000) + " s" : trim(v) + " ms"
    case .ratio: return trim(v * 100) + "%"
    case .rate: return trim(v) + "/s"
    case .usd: return max >= 1 ? "$" + trim(v) : USD(pico: Int128((v * 1e12).rounded())).display
    }
  }

  private func trim(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int64(r)) : NumberFormatting.fixed(r, places: 1)
  }
}

/// Round axis ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 × 10ⁿ (whole numbers
/// only, for counts).
enum ChartScale {
  static func ticks(max: Double, target: Int = 4, integer: Bool = false) -> [Double] {
    guard max > 0, max.isFinite else { return [0, 1] }
    let raw = max / Double(target)
    var magnitude = 1.0
    while magnitude * 10 <= raw { magnitude *= 10 }
    while magnitude > raw { magnitude /= 10 }
    let steps = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.filter { !integer || ($0 >= 1 && $0 == $0.rounded()) }
    let step = steps.first { $0 >= raw } ?? Swift.max(magnitude * 10, 1)
    var ticks: [Double] = [0]
    while (ticks.last ?? 0) < max - step * 1e-9 { ticks.append(step * Double(ticks.count)) }
    return ticks
  }

  /// A coordinate with at most two decimals, so output is stable and small.
  static func coord(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    return r == r.rounded() ? String(Int64(r)) : String(r)
  }
}
