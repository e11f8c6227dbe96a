/// One line or bar series of a chart.
public struct ChartSeries: Sendable {
  public var name: String
  public var values: [Double?]
  public init(name: String, values: [Double?]) {
    self.name = name
    self.values = values
  }
}

/// Charts as inline SVG, written by llmscope: every chart is a `<figure>` with a legend, an
/// SVG with `role="img"`, an `aria-label` and `<title>` hover text on each mark, and its
/// numbers in a `<details>` table beneath, so the data is readable without the picture.
public enum SVGChart {
  static let width = 720.0
  static let height = 220.0
  static let left = 64.0
  static let right = 12.0
  static let top = 12.0
  static let bottom = 28.0

  public enum Style: Sendable { case lines, stackedBars }

  /// A chart over time buckets.
  public static func timeSeries(title: String, bucketing: Bucketing, series: [ChartSeries], unit: ChartUnit, style: Style) -> HTML {
    let labels = (0..<bucketing.count).map { bucketLabel(bucketing, $0) }
    let hasData = series.contains { $0.values.contains { ($0 ?? 0) != 0 } }
    guard hasData else { return empty(title) }
    let maxValue: Double
    switch style {
    case .lines: maxValue = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
    case .stackedBars:
      maxValue = (0..<bucketing.count).map { i in series.reduce(0) { $0 + ($1.values[i] ?? 0) } }.max() ?? 0
    }
    let ticks = ChartScale.ticks(max: maxValue, integer: unit.isWhole)
    let maxTick = ticks.last ?? 1
    let plotW = width - left - right
    let plotH = height - top - bottom
    let n = bucketing.count
    let slot = plotW / Double(n)
    func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
    func y(_ v: Double) -> Double { top + plotH - (maxTick > 0 ? v / maxTick : 0) * plotH }

    var marks: [HTML] = axes(ticks: ticks, unit: unit, y: y)
    // Time labels at round instants (every hour, 3 h, 6 h, 12 h, day, …), at most eight.
    let interval = labelInterval(bucketing)
    for i in 0..<n where bucketing.bucketStart(i) % interval == 0 {
      marks.append(.element("text", [("x", ChartScale.coord(x(i))), ("y", ChartScale.coord(height - 8)), ("class", "tick"), ("text-anchor", "middle")], text: axisTime(bucketing, i)))
    }
    switch style {
    case .lines:
      for (k, s) in series.enumerated() {
        var d = ""
        var pen = false
        for (i, v) in s.values.enumerated() {
          guard let v else {
            pen = false
            continue
          }
          d += (pen ? "L" : "M") + ChartScale.coord(x(i)) + " " + ChartScale.coord(y(v))
          pen = true
        }
        if !d.isEmpty { marks.append(.element("path", [("d", d), ("class", "line s\(k % 6)")])) }
        for (i, v) in s.values.enumerated() {
          guard let v else { continue }
          marks.append(
            .element("circle", [("cx", ChartScale.coord(x(i))), ("cy", ChartScale.coord(y(v))), ("r", "2.5"), ("class", "dot s\(k % 6)")], [
              .element("title", [], text: "\(s.name) · \(labels[i]): \(unit.exact(v))")
            ]))
        }
      }
    case .stackedBars:
      let barW = max(1, slot * 0.8)
      for i in 0..<n {
        var base = 0.0
        for (k, s) in series.enumerated() {
          guard let v = s.values[i], v > 0 else { continue }
          let y0 = y(base)
          let y1 = y(base + v)
          marks.append(
            .element("rect", [
              ("x", ChartScale.coord(x(i) - barW / 2)), ("y", ChartScale.coord(y1)), ("width", ChartScale.coord(barW)),
              ("height", ChartScale.coord(max(0.5, y0 - y1))), ("class", "bar s\(k % 6)"),
            ], [.element("title", [], text: "\(s.name) · \(labels[i]): \(unit.exact(v))")]))
          base += v
        }
      }
    }
    let label = "\(title), \(series.map(\.name).joined(separator: ", ")), from \(labels.first ?? "") to \(labels.last ?? "")"
    let rows = (0..<n).map { i in [labels[i]] + series.map { s in s.values[i].map(unit.exact) ?? "–" } }
    return figure(title: title, legend: series.map(\.name), svg: svg(label, marks), table: dataTable(["Bucket start (UTC)"] + series.map(\.name), rows))
  }

  /// Horizontal bars, one per item, for comparing models or apps.
  public static func horizontalBars(title: String, items: [(label: String, value: Double?)], unit: ChartUnit) -> HTML {
    guard items.contains(where: { ($0.value ?? 0) != 0 }) else { return empty(title) }
    let rowH = 22.0
    let labelW = 190.0
    let h = top + Double(items.count) * rowH + bottom
    let ticks = ChartScale.ticks(max: items.compactMap(\.value).max() ?? 0, integer: unit.isWhole)
    let maxTick = ticks.last ?? 1
    let plotW = width - labelW - right
    func x(_ v: Double) -> Double { labelW + (maxTick > 0 ? v / maxTick : 0) * plotW }
    var marks: [HTML] = []
    for t in ticks {
      marks.append(.element("line", [("x1", ChartScale.coord(x(t))), ("x2", ChartScale.coord(x(t))), ("y1", ChartScale.coord(top)), ("y2", ChartScale.coord(h - bottom)), ("class", "grid")]))
      marks.append(.element("text", [("x", ChartScale.coord(x(t))), ("y", ChartScale.coord(h - 8)), ("class", "tick"), ("text-anchor", "middle")], text: unit.tick(t, max: maxTick)))
    }
    for (i, item) in items.enumerated() {
      let yMid = top + Double(i) * rowH + rowH / 2
      let shown = item.label.count > 28 ? String(item.label.prefix(27)) + "…" : item.label
      marks.append(.element("text", [("x", ChartScale.coord(labelW - 8)), ("y", ChartScale.coord(yMid + 4)), ("class", "label"), ("text-anchor", "end")], [
        .element("title", [], text: item.label), .text(shown),
      ]))
      if let v = item.value {
        marks.append(
          .element("rect", [
            ("x", ChartScale.coord(labelW)), ("y", ChartScale.coord(yMid - rowH * 0.35)), ("width", ChartScale.coord(max(0.5, x(v) - labelW))),
            ("height", ChartScale.coord(rowH * 0.7)), ("class", "bar s0"),
          ], [.element("title", [], text: "\(item.label): \(unit.exact(v))")]))
      }
    }
    let label = "\(title), \(items.count) bars"
    let rows = items.map { [$0.label, $0.value.map(unit.exact) ?? "–"] }
    return figure(title: title, legend: [], svg: svg(label, marks, height: h), table: dataTable(["Name", title], rows))
  }

  /// A small line of `values` for a table cell, with the values as hover text.
  public static func sparkline(_ values: [Double], label: String) -> HTML {
    let w = 96.0
    let h = 20.0
    guard values.count > 1, let maxV = values.max(), maxV > 0 else {
      return .element("span", [("class", "empty")], text: "–")
    }
    let step = w / Double(values.count - 1)
    let points = values.enumerated().map { i, v in ChartScale.coord(Double(i) * step) + "," + ChartScale.coord(h - 1 - v / maxV * (h - 2)) }
    return .element("svg", [("viewBox", "0 0 96 20"), ("class", "sparkline"), ("role", "img"), ("aria-label", label)], [
      .element("title", [], text: "\(label): " + values.map { FigureName.grouped(Int64($0)) }.joined(separator: ", ")),
      .element("polyline", [("points", points.joined(separator: " ")), ("class", "line s0")]),
    ])
  }

  // MARK: - Parts

  private static func axes(ticks: [Double], unit: ChartUnit, y: (Double) -> Double) -> [HTML] {
    let maxTick = ticks.last ?? 1
    return ticks.flatMap { t -> [HTML] in
      [
        .element("line", [("x1", ChartScale.coord(left)), ("x2", ChartScale.coord(width - right)), ("y1", ChartScale.coord(y(t))), ("y2", ChartScale.coord(y(t))), ("class", t == 0 ? "axis" : "grid")]),
        .element("text", [("x", ChartScale.coord(left - 6)), ("y", ChartScale.coord(y(t) + 4)), ("class", "tick"), ("text-anchor", "end")], text: unit.tick(t, max: maxTick)),
      ]
    }
  }

  private static func svg(_ label: String, _ marks: [HTML], height h: Double = height) -> HTML {
    .element("svg", [
      ("viewBox", "0 0 \(ChartScale.coord(width)) \(ChartScale.coord(h))"), ("role", "img"),
      ("aria-label", label), ("class", "chart-svg"), ("preserveAspectRatio", "xMinYMin meet"),
    ], marks)
  }

  private static func figure(title: String, legend: [String], svg: HTML, table: HTML) -> HTML {
    var parts: [HTML] = [.element("figcaption", [], text: title)]
    if legend.count > 1 {
      parts.append(.element("ul", [("class", "legend")], legend.enumerated().map { k, name in
        HTML.element("li", [], [.element("span", [("class", "swatch s\(k % 6)")]), .text(name)])
      }))
    }
    parts += [svg, .element("details", [], [.element("summary", [], text: "Data"), table])]
    return .element("figure", [("class", "chart")], parts)
  }

  private static func empty(_ title: String) -> HTML {
    .element("figure", [("class", "chart chart-empty")], [.element("figcaption", [], text: title), .element("p", [("class", "empty")], text: "No data in this range.")])
  }

  private static func dataTable(_ headers: [String], _ rows: [[String]]) -> HTML {
    .element("div", [("class", "table-wrap")], [
      .element("table", [], [
        .element("thead", [], [.element("tr", [], headers.enumerated().map { i, h in HTML.element("th", [("scope", "col"), ("class", i == 0 ? "text" : "num")], text: h) })]),
        .element("tbody", [], rows.map { r in HTML.element("tr", [], r.enumerated().map { i, c in HTML.element(i == 0 ? "th" : "td", i == 0 ? [("scope", "row"), ("class", "text")] : [("class", "num")], text: c) }) }),
      ])
    ])
  }

  /// The spacing of time labels: a round multiple of the bucket size giving at most eight.
  static func labelInterval(_ b: Bucketing) -> Int64 {
    let hour: Int64 = 3_600_000_000_000
    let candidates = [hour / 60, hour / 12, hour / 4, hour / 2, hour, 3 * hour, 6 * hour, 12 * hour, 24 * hour, 48 * hour, 168 * hour]
    let total = b.size * Int64(b.count)
    return candidates.first { $0 >= b.size && $0 % b.size == 0 && total / $0 <= 8 } ?? 168 * hour
  }

  /// A bucket's start for tables and hover text: `2026-12-03 14:00`.
  static func bucketLabel(_ b: Bucketing, _ i: Int) -> String {
    let iso = Timestamp.format(b.bucketStart(i), fractionDigits: 0)
    return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5)
  }

  /// An axis label: the date for day buckets, else the time of day (with the date at midnight).
  static func axisTime(_ b: Bucketing, _ i: Int) -> String {
    let iso = Timestamp.format(b.bucketStart(i), fractionDigits: 0)
    let time = String(iso.dropFirst(11).prefix(5))
    if b.size >= 86_400_000_000_000 || time == "00:00" { return String(iso.dropFirst(5).prefix(5)) }
    return time
  }
}
