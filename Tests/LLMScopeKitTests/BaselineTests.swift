import Foundation
import Testing

@testable import LLMScopeKit

/// The comparison report: baseline windows, deltas coloured by better or worse, the `compare`
/// directive, and `summary --json --baseline-…`.
@Suite struct BaselineTests {
  @Test("the baseline is the given range, a range of the same length from one end, or the period just before")
  func windows() {
    let r = TimeRange(from: 1000, to: 1100)
    #expect(Baseline.window(of: r, from: nil, to: nil) == TimeRange(from: 899, to: 999))
    #expect(Baseline.window(of: r, from: 10, to: 50) == TimeRange(from: 10, to: 50))
    #expect(Baseline.window(of: r, from: 10, to: nil) == TimeRange(from: 10, to: 110))
    #expect(Baseline.window(of: r, from: nil, to: 500) == TimeRange(from: 400, to: 500))
  }

  @Test("latency, TTFT, errors and cost up are worse; throughput up is better; volumes are neither")
  func directions() {
    var now = Figures()
    var before = Figures()
    now.llmLatency = LatencyStats(milliseconds: [200])
    before.llmLatency = LatencyStats(milliseconds: [100])
    now.outputTokensPerSecond = 50
    before.outputTokensPerSecond = 40
    now.ttftAvgMs = 90
    before.ttftAvgMs = 100
    now.llmCalls = 10
    before.llmCalls = 5
    #expect(Comparison.change(.llmLatencyP95, now: now, before: before)! == ("▲ 100.0%", "delta-worse"))
    #expect(Comparison.change(.outputTokensPerSecond, now: now, before: before)! == ("▲ 25.0%", "delta-better"))
    #expect(Comparison.change(.ttftAvg, now: now, before: before)! == ("▼ 10.0%", "delta-better"))
    #expect(Comparison.change(.llmCalls, now: now, before: before)! == ("▲ 100.0%", "delta-neutral"))
    #expect(Comparison.change(.outputTokensPerSecond, now: before, before: now)!.cls == "delta-worse")
    #expect(Comparison.change(.tpotAvg, now: now, before: before) == nil)
  }

  static func corpusStore(_ folder: TemporaryFolder) throws -> String {
    _ = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl"), Fixtures.corpus("openinference-openai.jsonl")], in: folder)
    return folder.file("store.db")
  }

  @Test("summary --json --baseline-from/--baseline-to adds the baseline's figures, equal to a summary of that range")
  func summaryJSON() throws {
    let folder = TemporaryFolder()
    let store = try Self.corpusStore(folder)
    let s = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let bounds = try #require(try s.timeBounds())
    let mid = bounds.from + (bounds.to - bounds.from) / 2
    let (f, m, t) = (Timestamp.format(bounds.from, fractionDigits: 9), Timestamp.format(mid, fractionDigits: 9), Timestamp.format(bounds.to, fractionDigits: 9))
    let both = CapturedRun(["summary", "--store", store, "--from", m, "--to", t, "--baseline-from", f, "--baseline-to", m, "--json"])
    #expect(both.status == 0, "\(both.err)")
    let alone = CapturedRun(["summary", "--store", store, "--from", f, "--to", m, "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(both.out.utf8)) as! [String: Any]
    let baseline = try #require(json["baseline"] as? [String: Any])
    let expected = try JSONSerialization.jsonObject(with: Data(alone.out.utf8)) as! [String: Any]
    #expect(NSDictionary(dictionary: baseline).isEqual(to: expected))
    let spans = ((json["totals"] as! [String: Any])["spans"] as! Int) + ((baseline["totals"] as! [String: Any])["spans"] as! Int)
    #expect(spans >= 488)
    let bad = CapturedRun(["summary", "--store", store, "--baseline-from", t, "--baseline-to", f])
    #expect(bad.status == 2 && bad.err.contains("--baseline-from is after --baseline-to"))
  }

  @Test("with --baseline-from/--baseline-to every baseline value on every page equals summary --json of the baseline")
  func pages() throws {
    let folder = TemporaryFolder()
    let store = try Self.corpusStore(folder)
    let s = try SQLiteSpanStore(path: store, create: false, readOnly: true)
    let bounds = try #require(try s.timeBounds())
    let mid = bounds.from + (bounds.to - bounds.from) / 2
    try FileManager.default.createDirectory(atPath: folder.file("tpl"), withIntermediateDirectories: true)
    folder.write("tpl/report.md", "{{ compare }}\n\n{{ compare names=llm_calls,cost app=v2-stream-app }}\n")
    let build = CapturedRun([
      "build", "--store", store, "--out", folder.file("site"), "--now", "2026-12-03T00:00:00Z", "--trace-pages", "slowest:1",
      "--from", Timestamp.format(mid, fractionDigits: 9), "--baseline-from", Timestamp.format(bounds.from, fractionDigits: 9),
      "--baseline-to", Timestamp.format(mid - 1, fractionDigits: 9), "--templates", folder.file("tpl"),
    ])
    #expect(build.status == 0, "\(build.err)")
    _ = try PageFigureTests.checkEveryFigure(site: folder.file("site"), store: store)
    let shown = try PageFigureTests.shownFigures(in: folder.file("site"))
    let baseline = shown.filter { $0.attributes["data-period"] == "baseline" }
    #expect(baseline.count > 100)
    // Tables compare row by row (models page), and the compare directive gives both columns.
    #expect(baseline.contains { $0.page == "models.html" && $0.attributes["data-scope"]!.hasPrefix("model:") })
    #expect(baseline.contains { $0.page == "report.html" && $0.attributes["data-scope"] == "app:v2-stream-app" && $0.attributes["data-figure"] == "cost.usd" })
    let report = try String(contentsOfFile: folder.file("site/report.html"), encoding: .utf8)
    #expect(report.contains("<th scope=\"col\" class=\"num\">Baseline</th>") && report.contains("delta-"))
    let index = try String(contentsOfFile: folder.file("site/index.html"), encoding: .utf8)
    #expect(index.contains("vs baseline"))
  }
}
