import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct ChartTests {
  static let minute: Int64 = 60_000_000_000

  @Test("bucket sizes follow the range, aligned to round UTC instants", arguments: [
    (Int64(0), 30 * minute, 60 * Int64(1_000_000_000)), (Int64(0), 120 * minute, 5 * minute), (Int64(0), 7 * 1440 * minute, 180 * minute),
    (Int64(0), 200 * 1440 * minute, 1440 * minute),
  ])
  func bucketing(_ from: Int64, _ to: Int64, _ size: Int64) {
    let b = Bucketing(range: TimeRange(from: from + 17, to: to))
    #expect(b.size == size)
    #expect(b.start % b.size == 0 && b.start <= from + 17)
    #expect(b.index(of: to) == b.count - 1 && b.index(of: b.start - 1) == nil)
  }

  @Test("axis ticks are round and cover the maximum", arguments: [
    (7.0, [0.0, 2, 4, 6, 8]), (1234.0, [0.0, 500, 1000, 1500]), (0.42, [0.0, 0.2, 0.4, 0.6]), (100.0, [0.0, 25, 50, 75, 100]),
  ] as [(Double, [Double])])
  func ticks(_ max: Double, _ expected: [Double]) {
    #expect(ChartScale.ticks(max: 10, integer: true) == [0, 5, 10])
    #expect(ChartScale.ticks(max: 3, integer: true) == [0, 1, 2, 3])
    let t = ChartScale.ticks(max: max)
    #expect(t.count == expected.count)
    for (a, b) in zip(t, expected) { #expect(abs(a - b) < 1e-9) }
  }

  @Test("figures per bucket add up to the range's figures", arguments: ["otel-openai-v2", "openinference-openai"])
  func seriesAddsUp(_ dataset: String) throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus(dataset + ".jsonl")], in: folder)
    let summary = try store.summary()
    let series = try store.series(in: summary.range)
    #expect(series.points.count == series.bucketing.count)
    #expect(series.points.reduce(0) { $0 + $1.llmCalls } == summary.totals.llmCalls)
    #expect(series.points.reduce(0) { $0 + $1.modelCalls } == summary.totals.modelCalls)
    #expect(series.points.reduce(0) { $0 + $1.modelErrors } == summary.totals.modelErrors)
    #expect(series.points.reduce(Int64(0)) { $0 + $1.inputTokens } == summary.totals.inputTokens)
    #expect(series.points.reduce(0) { $0 + $1.spans } == summary.totals.spans)
  }

  @Test("a chart is accessible: role, label, hover titles and its numbers in a table")
  func accessible() throws {
    let b = Bucketing(range: TimeRange(from: 0, to: 10 * Self.minute))
    var values = [Double?](repeating: nil, count: b.count)
    values[2] = 1234.5
    values[3] = 80
    let html = SVGChart.timeSeries(title: "Latency <P95>", bucketing: b, series: [ChartSeries(name: "P95", values: values)], unit: .milliseconds, style: .lines).markup
    #expect(html.contains("role=\"img\"") && html.contains("aria-label=\"Latency &lt;P95&gt;, P95, from 1970-01-01 00:00"))
    #expect(html.contains("<title>P95 · 1970-01-01 00:02: 1234.5 ms</title>"))
    #expect(html.contains("<details><summary>Data</summary>") && html.contains(">1234.5 ms</td>") && html.contains(">–</td>"))
    #expect(html.contains("<path d=\"M") && htmlProblems("<!DOCTYPE html><div>" + html + "</div>").isEmpty)
    let empty = SVGChart.timeSeries(title: "Nothing", bucketing: b, series: [ChartSeries(name: "x", values: [nil])], unit: .count, style: .stackedBars)
    #expect(empty.markup.contains("No data in this range."))
  }

  @Test("bars compare models, largest first, with exact values")
  func bars() throws {
    let folder = TemporaryFolder()
    let store = try TemplateRenderingTests.store(in: folder)
    var context = RenderContext(summary: try store.summary(), scope: PageScope(), pages: [], appPage: { _ in nil })
    context.series = try store.series(in: context.summary.range)
    let html = try TemplateRenderer().render(try TemplateParser.parse("{{ chart tokens by=model }}\n\n{{ chart llm_calls }}", file: "t.md"), context: context).markup
    let gpt = try #require(html.range(of: ">gpt-4o</th><td class=\"num\">1,234</td>"))
    let qwen = try #require(html.range(of: ">qwen-plus</th><td class=\"num\">0</td>"))
    #expect(gpt.lowerBound < qwen.lowerBound)
    #expect(html.contains("Tokens by model") && html.contains("<figcaption>LLM calls</figcaption>"))
  }

  @Test("trace lists: the slowest first, or only the failed; names escaped")
  func traceLists() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let range = try #require(try store.timeBounds())
    let slow = try store.llmCalls(in: range, selection: .slowest, limit: 10)
    #expect(slow.count == 10 && zip(slow, slow.dropFirst()).allSatisfy { $0.durationMs >= $1.durationMs })
    let failed = try store.llmCalls(in: range, selection: .failed, limit: 100)
    let expectedFailed = Fixtures.figures("otel-openai-v2")["entry_spans_with_error"] as! Int
    #expect(failed.count == expectedFailed)
    #expect(failed.allSatisfy { $0.isError })
    let evil = try TemplateRenderingTests.store(in: TemporaryFolder())
    var context = RenderContext(summary: try evil.summary(), scope: PageScope(), pages: [], appPage: { _ in nil })
    let evilRange = try #require(try evil.timeBounds())
    context.llmCalls = { s, l in try evil.llmCalls(in: evilRange, selection: s, limit: l) }
    let html = try TemplateRenderer().render(try TemplateParser.parse("{{ traces }}", file: "t.md"), context: context).markup
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") && !html.contains("<script>"))
    #expect(html.contains(">1,234</td>"))
  }
}
