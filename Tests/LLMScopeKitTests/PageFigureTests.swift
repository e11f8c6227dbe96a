import Foundation
import Testing

@testable import LLMScopeKit

/// Every number a page shows carries where it comes from (`data-figure`, `data-scope`,
/// `data-within-*`, `data-value`, `data-period`); these tests read them back from the HTML
/// and check each against `llmscope summary --json` for that range and scope.
@Suite struct PageFigureTests {
  /// A figure found in a page: its data attributes and the page's range.
  struct ShownFigure {
    var page: String
    var attributes: [String: String]
    var range: TimeRange
    /// The page's baseline, when it compares.
    var baseline: TimeRange?
  }

  static func shownFigures(in site: String) throws -> [ShownFigure] {
    let tag = try NSRegularExpression(pattern: #"<[a-z]+ [^>]*data-figure="[^>]*>"#)
    let attribute = try NSRegularExpression(pattern: #"([a-z-]+)="([^"]*)""#)
    let main = try NSRegularExpression(pattern: #"<main data-range-from="([^"]+)" data-range-to="([^"]+)"(?: data-baseline-from="([^"]+)" data-baseline-to="([^"]+)")?>"#)
    func groups(_ re: NSRegularExpression, _ text: String) -> [[String]] {
      re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
        (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } ?? "" }
      }
    }
    var out: [ShownFigure] = []
    for page in try FileManager.default.contentsOfDirectory(atPath: site).sorted() where page.hasSuffix(".html") {
      let html = try String(contentsOfFile: site + "/" + page, encoding: .utf8)
      let r = try #require(groups(main, html).first, "\(page) has no range on <main>")
      let range = TimeRange(from: try #require(Timestamp.parse(r[1])), to: try #require(Timestamp.parse(r[2])))
      let baseline = r[3].isEmpty ? nil : TimeRange(from: try #require(Timestamp.parse(r[3])), to: try #require(Timestamp.parse(r[4])))
      for t in groups(tag, html) {
        var attrs: [String: String] = [:]
        for a in groups(attribute, t[0]) { attrs[a[1]] = HTMLEntities.decode(a[2]) }
        out.append(ShownFigure(page: page, attributes: attrs, range: range, baseline: baseline))
      }
    }
    return out
  }

  /// The value of `figure` in `summary --json` for its range, period and scope; `nil` for null.
  static func summaryValue(_ figure: ShownFigure, store: SQLiteSpanStore, cache: inout [String: [String: Any]]) throws -> Double? {
    var range = figure.range
    if figure.attributes["data-period"] == "baseline" { range = try #require(figure.baseline, "\(figure.page): a baseline figure on a page without a baseline") }
    let a = figure.attributes
    let filter = SpanFilter(app: a["data-within-app"], businessSystem: a["data-within-system"], model: a["data-within-model"])
    let key = "\(range) \(filter)"
    if cache[key] == nil {
      cache[key] = try JSONSerialization.jsonObject(with: Data(SummaryJSON.encode(try store.summary(in: range, filter: filter)).utf8)) as? [String: Any]
    }
    let json = cache[key]!
    let scope = try #require(a["data-scope"])
    var object: [String: Any]
    if scope == "all" {
      object = json["totals"] as! [String: Any]
    } else {
      let colon = try #require(scope.firstIndex(of: ":"))
      let kind = String(scope[..<colon])
      let name = String(scope[scope.index(after: colon)...])
      let (list, key) = try #require(
        ["app": ("apps", "name"), "model": ("models", "name"), "request_model": ("request_models", "name"), "system": ("business_systems", "fingerprint")][kind],
        "unknown scope kind \(kind)")
      let rows = json[list] as! [[String: Any]]
      object = try #require(rows.first { ($0[key] as? String ?? "") == name }, "\(figure.page): no \(scope) in the summary")
    }
    let path = try #require(a["data-figure"]).split(separator: ".").map(String.init)
    for key in path.dropLast() { object = try #require(object[key] as? [String: Any], "\(figure.page): no \(key)") }
    let value = try #require(object[path.last!], "\(figure.page): summary has no \(a["data-figure"]!)")
    return (value as? NSNumber)?.doubleValue
  }

  static func checkEveryFigure(site: String, store: String) throws -> Int {
    let s = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let shown = try shownFigures(in: site)
    var cache: [String: [String: Any]] = [:]
    for f in shown {
      let expected = try summaryValue(f, store: s, cache: &cache)
      let value = f.attributes["data-value"].flatMap(Double.init)
      #expect(value == expected, "\(f.page): \(f.attributes)")
    }
    return shown.count
  }

  @Test("every figure of the example site's pages equals summary --json for its range and scope")
  func exampleSite() throws {
    let folder = TemporaryFolder()
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Examples").path
    _ = try ingestedStore([examples + "/data"], in: folder)
    let build = CapturedRun([
      "build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--templates", examples + "/templates",
      "--now", "2026-12-03T00:00:00Z", "--trace-pages", "slowest:3",
    ])
    #expect(build.status == 0, "\(build.err)")
    let count = try Self.checkEveryFigure(site: folder.file("site"), store: folder.file("store.db"))
    let shown = try Self.shownFigures(in: folder.file("site"))
    #expect(count > 500)
    // Every kind of scope and the baseline are covered.
    for prefix in ["all", "app:", "model:", "request_model:", "system:"] {
      #expect(shown.contains { $0.attributes["data-scope"]!.hasPrefix(prefix) }, "\(prefix)")
    }
    #expect(shown.contains { $0.attributes["data-period"] == "baseline" && $0.attributes["data-value"] != nil })
    // Costs are checked like every other figure, and some are shown.
    #expect(shown.contains { $0.attributes["data-figure"] == "cost.usd" && $0.attributes["data-value"] != nil })
    #expect(shown.contains { $0.attributes["data-within-app"] != nil })
    #expect(shown.contains { $0.page == "nightly.html" && $0.range.from == Timestamp.parse("2026-12-02T00:00:00Z") })
  }

  @Test("the pages of a corpus dataset show the corpus's own figures", arguments: ["otel-openai-v2", "openinference-openai"])
  func corpusFigures(_ dataset: String) throws {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Fixtures.corpus(dataset + ".jsonl")], in: folder)
    let build = CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--now", "2026-12-03T00:00:00Z"])
    #expect(build.status == 0, "\(build.err)")
    _ = try Self.checkEveryFigure(site: folder.file("site"), store: folder.file("store.db"))
    // Independently of the summary: the index page's totals are the corpus's (expected.json).
    let f = Fixtures.figures(dataset)
    let totals = Dictionary(
      try Self.shownFigures(in: folder.file("site")).filter { $0.page == "index.html" && $0.attributes["data-scope"] == "all" && $0.attributes["data-period"] == nil }
        .map { ($0.attributes["data-figure"]!, $0.attributes["data-value"]) }, uniquingKeysWith: { a, _ in a })
    #expect(totals["llm_calls"] == String(f["entry_spans"] as! Int))
    #expect(totals["model_calls"] == String(f["llm_spans"] as! Int))
    #expect(totals["input_tokens"] == String(f["input_tokens"] as! Int))
    #expect(totals["output_tokens"] == String(f["output_tokens"] as! Int))
  }
}

/// The few entities llmscope's escaping writes, decoded.
enum HTMLEntities {
  static func decode(_ s: String) -> String {
    s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
  }
}
