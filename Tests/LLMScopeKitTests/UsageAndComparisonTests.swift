import Foundation
import Testing

@testable import LLMScopeKit

/// Figures beyond the overview: usage, generation speed, shares, period comparison.
@Suite struct UsageAndComparisonTests {
  /// Spans of a corpus file read independently with Foundation's JSON parser.
  struct RawSpan {
    var app: String
    var host: String
    var start: Int64
    var end: Int64
    var attributes: [String: Any]
  }

  static func rawSpans(_ dataset: String) throws -> [RawSpan] {
    var out: [RawSpan] = []
    let text = try String(contentsOfFile: Fixtures.corpus(dataset + ".jsonl"), encoding: .utf8)
    for line in text.split(separator: "\n") {
      let doc = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      for rs in doc["resourceSpans"] as! [[String: Any]] {
        var res: [String: String] = [:]
        for a in (rs["resource"] as! [String: Any])["attributes"] as! [[String: Any]] {
          res[a["key"] as! String] = (a["value"] as! [String: Any])["stringValue"] as? String
        }
        for ss in rs["scopeSpans"] as! [[String: Any]] {
          for span in ss["spans"] as! [[String: Any]] {
            var attrs: [String: Any] = [:]
            for a in span["attributes"] as? [[String: Any]] ?? [] {
              let v = a["value"] as! [String: Any]
              attrs[a["key"] as! String] = v["stringValue"] ?? (v["intValue"] as? String).flatMap { Int64($0) } ?? v["doubleValue"] ?? v["boolValue"]
            }
            out.append(RawSpan(app: res["service.name"]!, host: res["host.name"]!, start: Int64(span["startTimeUnixNano"] as! String)!, end: Int64(span["endTimeUnixNano"] as! String)!, attributes: attrs))
          }
        }
      }
    }
    return out
  }

  @Test("instance online hours are distinct instance-hours, summed")
  func instanceHours() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let s = try store.summary()
    var hours: [String: Set<String>] = [:]
    for r in try Self.rawSpans("otel-openai-v2") { hours[r.app, default: []].insert("\(r.host) \(r.start / 3_600_000_000_000)") }
    for app in s.apps { #expect(app.figures.instanceHours == hours[app.name]?.count, "\(app.name)") }
    #expect(s.totals.instanceHours == hours.values.reduce(0) { $0 + $1.count })
  }

  @Test("output tokens per second and shares of model calls, per response model")
  func speedAndShare() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let s = try store.summary()
    var out: [String: (Int64, Double)] = [:]
    for r in try Self.rawSpans("otel-openai-v2") where (r.attributes["gen_ai.operation.name"] as? String) == "chat" {
      guard let o = r.attributes["gen_ai.usage.output_tokens"] as? Int64, o > 0 else { continue }
      let model = (r.attributes["gen_ai.response.model"] ?? r.attributes["gen_ai.request.model"]) as! String
      let prev = out[model] ?? (0, 0)
      out[model] = (prev.0 + o, prev.1 + Double(r.end - r.start) / 1e9)
    }
    for m in s.models {
      if let (tokens, seconds) = out[m.name] {
        #expect(abs(m.figures.outputTokensPerSecond! - Double(tokens) / seconds) < 1e-6, "\(m.name)")
      } else {
        #expect(m.figures.outputTokensPerSecond == nil, "\(m.name)")
      }
    }
    let shares = s.models.compactMap(\.figures.modelCallShare)
    #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
    #expect(s.models.allSatisfy { $0.figures.modelCallShare == Double($0.figures.modelCalls) / Double(s.totals.modelCalls) })
  }

  @Test("span storage is spans times retention days")
  func storage() {
    var f = Figures()
    f.spans = 1234
    #expect(FigureName.storage30d.value(in: f) == 37020 && FigureName.storage1d.formatted(in: f) == "1,234")
  }

  @Test("figures compare with the previous period of equal length")
  func previousPeriod() throws {
    var now = Figures()
    now.llmCalls = 120
    now.modelCalls = 100
    now.modelErrors = 5
    var before = Figures()
    before.spans = 10
    before.llmCalls = 100
    before.modelCalls = 100
    before.modelErrors = 10
    let c = Comparison(baseline: before, label: "previous period", source: .page(PageScope()))
    #expect(c.card(.llmCalls, now: now).markup.contains("▲ 20.0% vs previous period (100)"))
    #expect(c.card(.modelErrorRate, now: now).markup.contains("▼ 5.0 pts vs previous period"))
    #expect(c.card(.modelErrorRate, now: now).markup.contains("delta-better"))
    #expect(c.card(.modelCalls, now: now).markup.contains("no change"))
    #expect(c.card(.ttftAvg, now: now).markup.contains("previous period: –"))

    // In a build: the page's range is the last day; the period before has its own figures.
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([folder.write("x.jsonl", [
      OTLPJSON.request(spans: [OTLPJSON.span(trace: "11111111111111111111111111111111", id: "0000000000000001", start: 1_700_000_000_000_000_000, attributes: [OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m"))])]),
      OTLPJSON.request(spans: [
        OTLPJSON.span(trace: "22222222222222222222222222222222", id: "0000000000000002", start: 1_700_086_400_000_000_000, attributes: [OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m"))]),
        OTLPJSON.span(trace: "33333333333333333333333333333333", id: "0000000000000003", start: 1_700_086_500_000_000_000, attributes: [OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m"))]),
      ]),
    ].joined(separator: "\n"))], in: folder)
    _ = store
    try FileManager.default.createDirectory(atPath: folder.file("tpl"), withIntermediateDirectories: true)
    folder.write("tpl/cmp.md", "---\nfrom: 2023-11-15T22:00:00Z\nto: 2023-11-16T22:00:00Z\n---\n{{ figures names=model_calls compare=previous }}\n")
    let r = CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--templates", folder.file("tpl"), "--now", "2023-11-17T00:00:00Z"])
    #expect(r.status == 0, "\(r.err)")
    let page = try String(contentsOfFile: folder.file("site/cmp.html"), encoding: .utf8)
    #expect(page.contains(">2</div>") && page.contains("▲ 100.0% vs previous period"), "\(page)")
  }

  @Test("the heaviest LLM calls come first")
  func heaviest() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let rows = try store.llmCalls(in: try #require(try store.timeBounds()), selection: .heaviest, limit: 20)
    #expect(rows.count == 20 && zip(rows, rows.dropFirst()).allSatisfy { $0.tokens >= $1.tokens } && rows[0].tokens > 0)
  }
}
