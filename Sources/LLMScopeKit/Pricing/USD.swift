/// An amount of US dollars held exactly, in units of 10⁻¹² USD, so that sums of many small
/// costs never round. Prices have at most six decimals per million tokens, so the cost of any
/// whole number of tokens is a whole number of these units.
public struct USD: Sendable, Hashable, Comparable, AdditiveArithmetic {
  /// The amount in 10⁻¹² USD.
  public var pico: Int128

  public init(pico: Int128) { self.pico = pico }

  public static let zero = USD(pico: 0)
  public static func + (a: USD, b: USD) -> USD { USD(pico: a.pico + b.pico) }
  public static func - (a: USD, b: USD) -> USD { USD(pico: a.pico - b.pico) }
  public static func < (a: USD, b: USD) -> Bool { a.pico < b.pico }

  /// The amount as a Double, for charts and sorting only: never summed.
  public var approximate: Double { Double(pico) / 1e12 }

  /// Rounded half away from zero to `places` decimals (at most 12), as decimal text: `12.345678`.
  public func decimal(places: Int) -> String {
    let unit = Int128(1_000_000_000_000)
    var step = Int128(1)
    for _ in 0..<(12 - places) { step *= 10 }
    let magnitude = pico.magnitude
    let rounded = (Int128(magnitude) + step / 2) / step  // in 10^-places
    let scale = unit / step
    let whole = rounded / scale
    var text = String(whole)
    if places > 0 {
      let fraction = String(rounded % scale)
      text += "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
    return (pico < 0 && rounded != 0 ? "-" : "") + text
  }

  /// The amount as `summary --json` writes it: USD to six decimals (micro-dollars).
  public var json: String { decimal(places: 6) }

  /// For people: `$1,234.57` from one dollar up, `$0.0123` and `$0.000045` below, `$0` for none.
  public var display: String {
    if pico == 0 { return "$0" }
    if pico.magnitude >= 1_000_000_000_000 {
      let text = decimal(places: 2)
      let parts = text.split(separator: ".")
      let whole = Int64(parts[0]) ?? 0
      return "$" + FigureName.grouped(whole) + "." + parts[1]
    }
    // Below a dollar: three significant digits, at most six decimals ($0.153, $0.0456, $0.000075).
    var places = 3
    var threshold = Int128(100_000_000_000)  // $0.1 in pico-dollars
    while places < 6 && pico.magnitude < UInt128(threshold) {
      places += 1
      threshold /= 10
    }
    let text = decimal(places: places)
    if text.contains(where: { $0 != "0" && $0 != "." && $0 != "-" }) { return "$" + text }
    return "<$0.000001"
  }
}

extension String {
  /// `2.500000` as `2.5`, `3.000000` as `3`.
  var trimmingZeros: String {
    guard contains(".") else { return self }
    var s = self
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }
}
