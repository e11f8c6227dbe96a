#if canImport(Glibc)
import Glibc
#endif

/// A nightly archive (`build --archive DIR`): each run's site in a dated folder `DIR/YYYY-MM-DD`
/// and an index page `DIR/index.html` listing every night with its headline figures and
/// trend charts across nights, read from each night's `summary.json`.
public enum Archive {
  /// One night of the archive, as its `summary.json` says.
  struct Night {
    var folder: String
    var day: Int64
    var range: TimeRange
    var totals: JSONValue
  }

  /// The headline figures of the index: (label, `summary --json` path under `totals`, unit).
  static let headline: [(label: String, path: String, unit: ChartUnit)] = [
    ("LLM calls", "llm_calls", .count), ("LLM call latency P95", "llm_latency_ms.p95", .milliseconds),
    ("Model error rate", "model_error_rate", .ratio), ("Time to first token (avg)", "ttft_ms_avg", .milliseconds),
    ("Tokens", "total_tokens", .tokens), ("Cost", "cost.usd", .usd),
  ]

  static let dayNanos: Int64 = 86_400_000_000_000

  /// The folder of the night of `now` (UTC): `2026-12-03`.
  public static func folder(for now: Int64) -> String {
    String(Timestamp.format(Timestamp.floorDiv(now, dayNanos) * dayNanos, fractionDigits: 0).prefix(10))
  }

  /// Creates the archive folder when missing.
  public static func prepare(_ dir: String) throws {
    var st = stat()
    if stat(dir, &st) == 0 {
      guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SiteError(message: "--archive \(dir) is a file", hint: "choose a folder") }
      return
    }
    guard mkdir(dir, 0o755) == 0 else { throw SiteError(message: "cannot create --archive \(dir): \(String(cString: strerror(errno)))", hint: nil) }
  }

  /// The nights in `dir`, oldest first: every `YYYY-MM-DD` folder with a readable summary.json.
  static func nights(in dir: String) -> [Night] {
    var out: [Night] = []
    for name in (Directory.entries(dir) ?? []).sorted() where name.count == 10 {
      guard let day = Timestamp.parse(name), folder(for: day) == name,
        let text = FileBytes.text("\(dir)/\(name)/summary.json"), let json = JSONValue.parse(text),
        case .string(let from)? = json["range"]?["from"], case .string(let to)? = json["range"]?["to"],
        let f = Timestamp.parse(from), let t = Timestamp.parse(to), let totals = json["totals"]
      else { continue }
      out.append(Night(folder: name, day: day, range: TimeRange(from: f, to: t), totals: totals))
    }
    return out
  }

  static func value(_ totals: JSONValue, _ path: String) -> Double? {
    var v: JSONValue? = totals
    for key in path.split(separator: ".") { v = v?[String(key)] }
    if case .number(let d)? = v { return d }
    return nil
  }

  /// Rewrites `dir/index.html` (and its stylesheet) from the nights in `dir`.
  public static func writeIndex(_ dir: String, title: String, generatedAt now: Int64) throws {
    let nights = nights(in: dir)
    let first = nights.first?.day ?? Timestamp.floorDiv(now, dayNanos) * dayNanos
    let last = nights.last?.day ?? first
    let bucketing = Bucketing(start: first, size: dayNanos, count: Int((last - first) / dayNanos) + 1)
    func formatted(_ v: Double?, _ unit: ChartUnit) -> String { v.map { unit.exact($0) } ?? "–" }

    var charts: [HTML] = []
    for h in headline {
      var values = [Double?](repeating: nil, count: bucketing.count)
      for n in nights { values[Int((n.day - first) / dayNanos)] = value(n.totals, h.path) }
      let style: SVGChart.Style = h.unit == .count || h.unit == .tokens || h.unit == .usd ? .stackedBars : .lines
      charts.append(SVGChart.timeSeries(title: h.label, bucketing: bucketing, series: [ChartSeries(name: h.label, values: values)], unit: h.unit, style: style))
    }
    let head = HTML.element("thead", [], [
      .element("tr", [], [HTML.element("th", [("scope", "col"), ("class", "text")], text: "Night"), .element("th", [("scope", "col"), ("class", "text")], text: "Range")]
        + headline.map { HTML.element("th", [("scope", "col"), ("class", "num")], text: $0.label) })
    ])
    let rows = nights.reversed().map { n in
      HTML.element("tr", [], [
        .element("th", [("scope", "row"), ("class", "text")], [.element("a", [("href", "\(n.folder)/index.html")], text: n.folder)]),
        .element("td", [("class", "text nowrap")], text: "\(Timestamp.display(n.range.from)) – \(Timestamp.display(n.range.to))"),
      ] + headline.map { h in
        let v = value(n.totals, h.path)
        var attrs = [("class", "num"), ("data-night", n.folder), ("data-figure", h.path)]
        if let v { attrs.append(("data-value", v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v))) }
        return HTML.element("td", attrs, text: formatted(v, h.unit))
      })
    }
    let body: HTML = .element("p", [], text: "Every night's site, newest first, with its headline figures; the charts show them across nights.")
      + .element("div", [("class", "charts")], charts)
      + .element("h2", [], text: "Nights")
      + .element("div", [("class", "table-wrap")], [.element("table", [("class", "archive")], [head, .element("tbody", [], rows)])])
      + (nights.isEmpty ? .element("p", [("class", "empty")], text: "No nights yet.") : .empty)
    let range = TimeRange(from: nights.first?.range.from ?? first, to: nights.last?.range.to ?? first)
    let frame = PageFrame(siteTitle: title, navigation: [], range: range, generatedAt: now, stylesheet: "style.css")
    try replace("\(dir)/style.css", String(decoding: DefaultTemplates.stylesheet, as: UTF8.self))
    try replace("\(dir)/index.html", frame.page(file: "index.html", title: "\(title): nightly archive", body: body))
  }

  /// Writes a file beside its final name, then renames it into place.
  private static func replace(_ path: String, _ text: String) throws {
    let tmp = "\(path).tmp-\(getpid())"
    try SiteWriter.writeFile(tmp, text)
    guard rename(tmp, path) == 0 else {
      unlink(tmp)
      throw SiteError(message: "cannot write \(path): \(String(cString: strerror(errno)))", hint: nil)
    }
  }
}
