/// A figure against the build's baseline: the baseline value and the change, coloured by
/// whether the figure got better or worse (`FigureName.direction`).
struct Comparison {
  /// The baseline's figures for the same group.
  var baseline: Figures
  /// `previous period` or `baseline`: how the change is labelled.
  var label: String
  var source: FigureSource

  /// The change as text and its class: `▲ 12.5%` `delta-worse`, `▼ 3.0 pts` `delta-better`,
  /// `no change` `delta-flat`; volumes that moved are `delta-neutral`.
  static func change(_ name: FigureName, now: Figures, before: Figures) -> (text: String, cls: String)? {
    guard let a = name.value(in: now), let b = name.value(in: before) else { return nil }
    if a == b { return ("no change", "delta-flat") }
    let up = a > b
    let cls: String
    switch name.direction {
    case .lowerIsBetter: cls = up ? "delta-worse" : "delta-better"
    case .higherIsBetter: cls = up ? "delta-better" : "delta-worse"
    case .neutral: cls = "delta-neutral"
    }
    let arrow = up ? "▲ " : "▼ "
    // One decimal, or two for a change too small to show with one.
    func amount(_ v: Double) -> String { NumberFormatting.fixed(v, places: v < 0.05 ? 2 : 1) }
    if name.unit == .ratio { return (arrow + amount(abs(a - b) * 100) + " pts", cls) }
    if b == 0 { return ("new (was 0)", cls) }
    return (arrow + amount(abs(a - b) / abs(b) * 100) + "%", cls)
  }

  /// The baseline value and the change under a headline card.
  func card(_ name: FigureName, now: Figures) -> HTML {
    if baseline.spans == 0 {
      return .element("div", [("class", "card-delta"), ("title", "no spans in the \(label)")], text: "no data in the \(label)")
    }
    let was = name.formatted(in: baseline)
    let data = source.attributes(name, baseline, period: "baseline")
    guard let (text, cls) = Self.change(name, now: now, before: baseline) else {
      return .element("div", [("class", "card-delta"), ("title", "\(label): \(was)")] + data, text: "\(label): \(was)")
    }
    return .element("div", [("class", "card-delta \(cls)"), ("title", "\(label): \(was)")] + data, text: "\(text) vs \(label) (\(was))")
  }

  /// The baseline value and the change inside a table cell, under the value; `new` for a
  /// row the baseline does not have.
  func cell(_ name: FigureName, now: Figures) -> HTML {
    guard baseline.spans > 0 else { return .element("span", [("class", "cell-delta delta-neutral"), ("title", "not in the \(label)")], text: "new") }
    if name.value(in: now) == nil && name.value(in: baseline) == nil { return .empty }
    let was = name.formatted(in: baseline)
    let data = source.attributes(name, baseline, period: "baseline")
    let change = Self.change(name, now: now, before: baseline)
    let text = (change.map { $0.text + " · " } ?? "") + "was " + was
    return .element("span", [("class", "cell-delta \(change?.cls ?? "delta-flat")"), ("title", "\(label): \(was)")] + data, text: text)
  }
}
