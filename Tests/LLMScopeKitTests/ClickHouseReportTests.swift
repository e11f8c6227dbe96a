import Foundation
import Testing

@testable import LLMScopeKit

/// Reports computed by ClickHouse (conventions and trace rules as SQL, figures by GROUP BY)
/// answer as the SQLite store does, for the same spans.
@Suite(.serialized) struct ClickHouseReportTests {
  /// The spans of `files` in a new SQLite store and a new ClickHouse table.
  static func stores(_ files: [String], _ folder: TemporaryFolder) throws -> (sqlite: SQLiteSpanStore, clickhouse: ClickHouseSpanStore, url: String) {
    let url = try #require(ClickHouseServer.shared, "the chdb server did not start (make test installs chdb)").url()
    let ingest = CapturedRun(["ingest", "--store", url] + files)
    #expect(ingest.status == 0 && ingest.out.contains(" 0 rejected"), "\(ingest.out) \(ingest.err)")
    let (sqlite, _) = try ingestedStore(files, in: folder)
    let clickhouse = ClickHouseSpanStore(try ClickHouseLocation(url, environment: ProcessInfo.processInfo.environment))
    return (sqlite, clickhouse, url)
  }

  /// Spans made to exercise both trace rules and the groups: a framework and an SDK recording
  /// one call (the SDK with a dated model name), parallel calls paired by overlap, an entry
  /// under a root that is not GenAI, one seven levels above its model call, an orphaned
  /// subtree, spans marked as entries, errors, an embedding, two business systems.
  static func ruleSpans(_ folder: TemporaryFolder) -> String {
    typealias J = OTLPJSON
    let t0: Int64 = 1_764_547_200_000_000_000
    func trace(_ n: Int) -> String { String(format: "%032x", 0xabc000 + n) }
    func id(_ t: Int, _ s: Int) -> String { String(format: "%016x", t * 100 + s) }
    func chat(_ model: String, _ input: Int, _ output: Int, response: String? = nil) -> [String] {
      [J.attr("gen_ai.operation.name", J.str("chat")), J.attr("gen_ai.request.model", J.str(model)), J.attr("gen_ai.response.model", J.str(response ?? model)),
       J.attr("gen_ai.usage.input_tokens", J.int(input)), J.attr("gen_ai.usage.output_tokens", J.int(output))]
    }
    let chain = [J.attr("traceloop.span.kind", J.str("workflow"))]
    let agent = [J.attr("traceloop.span.kind", J.str("agent"))]
    let failed = #","status":{"code":2,"message":"upstream 529"}"#
    func s(_ t: Int, _ n: Int, parent: Int? = nil, at: Int64, ms: Int64, _ attrs: [String], extra: String = "") -> String {
      J.span(trace: trace(t), id: id(t, n), parent: parent.map { id(t, $0) } ?? "", name: "op-\(t)-\(n)", start: t0 + Int64(t) * 10_000_000_000 + at * 1_000_000,
        durationMs: ms, attributes: attrs, extra: extra)
    }
    let shop = [J.attr("service.name", J.str("shop")), J.attr("token", J.str("tenant-a")), J.attr("deployment.environment", J.str("prod"))]
    let shopB = [J.attr("service.name", J.str("shop")), J.attr("token", J.str("tenant-b")), J.attr("host.name", J.str("shop-2"))]
    let search = [J.attr("service.name", J.str("search")), J.attr("host.name", J.str("search-1"))]
    let framework = [
      // 1: HTTP root → chain → LangChain llm (the SDK's below records the same call); a tool.
      s(1, 2, parent: 1, at: 5, ms: 900, chain), s(1, 3, parent: 2, at: 10, ms: 800, chat("gpt-4o-mini", 120, 30)),
      s(1, 4, parent: 2, at: 820, ms: 50, [J.attr("gen_ai.tool.name", J.str("lookup"))]),
      // 2: two parallel calls of one model, each recorded by both instrumentations.
      s(2, 1, at: 0, ms: 2000, agent), s(2, 2, parent: 1, at: 10, ms: 900, chat("gpt-4o", 50, 10)), s(2, 3, parent: 1, at: 500, ms: 1200, chat("gpt-4o", 70, 20)),
    ]
    let sdk = [
      s(1, 5, parent: 3, at: 20, ms: 700, chat("gpt-4o-mini-2024-07-18", 120, 30)),
      s(2, 4, parent: 2, at: 20, ms: 860, chat("gpt-4o", 50, 10)), s(2, 5, parent: 3, at: 510, ms: 1150, chat("gpt-4o", 70, 20), extra: failed),
      // 3: an agent, six plain spans, then the model call: the agent is the one entry.
      s(3, 1, at: 0, ms: 3000, agent), s(3, 2, parent: 1, at: 1, ms: 2900, []), s(3, 3, parent: 2, at: 2, ms: 2800, []), s(3, 4, parent: 3, at: 3, ms: 2700, []),
      s(3, 5, parent: 4, at: 4, ms: 2600, []), s(3, 6, parent: 5, at: 5, ms: 2500, []), s(3, 7, parent: 6, at: 6, ms: 2400, []),
      s(3, 8, parent: 7, at: 7, ms: 2300, chat("claude-3-5-haiku", 300, 80)),
      // 4: an orphaned subtree (its parent was never received) and an embedding.
      s(4, 1, parent: 99, at: 0, ms: 400, chat("gpt-4o-mini", 10, 5)), s(4, 2, at: 500, ms: 40, [J.attr("gen_ai.operation.name", J.str("embeddings")),
        J.attr("gen_ai.request.model", J.str("text-embedding-3-small")), J.attr("gen_ai.usage.input_tokens", J.int(64))]),
      // 5: marked entries win over the topmost GenAI span.
      s(5, 1, at: 0, ms: 1000, agent), s(5, 2, parent: 1, at: 10, ms: 500, chat("gpt-4o", 40, 8) + [J.attr("gen_ai.is_entry", "{\"boolValue\":true}")]),
      s(5, 3, parent: 1, at: 600, ms: 300, chat("gpt-4o", 41, 9) + [J.attr("gen_ai.is_entry", "{\"boolValue\":true}")], extra: failed),
    ]
    let plain = [s(1, 1, at: 0, ms: 1000, [J.attr("http.method", J.str("POST"))])]
    let lines = [
      J.request(spans: plain, resource: shop, scope: "opentelemetry.instrumentation.fastapi"),
      J.request(spans: framework, resource: shop, scope: "opentelemetry.instrumentation.langchain"),
      J.request(spans: Array(sdk.prefix(3)), resource: shop, scope: "opentelemetry.instrumentation.openai_v2"),
      J.request(spans: Array(sdk.dropFirst(3).prefix(8)), resource: shopB, scope: "opentelemetry.instrumentation.openai_v2"),
      J.request(spans: Array(sdk.dropFirst(11)), resource: search, scope: "opentelemetry.instrumentation.openai_v2"),
    ]
    return folder.write("rules.jsonl", lines.joined(separator: "\n") + "\n")
  }

  /// Two JSON answers are the same: equal text, and numbers equal within `tolerance`
  /// (relative), the documented tolerance for sums that ClickHouse adds in another order.
  static func same(_ a: JSONValue, _ b: JSONValue, at path: String = "", tolerance: Double = 1e-9) -> [String] {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      return abs(x - y) <= tolerance * max(1, abs(x), abs(y)) ? [] : ["\(path): SQLite \(x), ClickHouse \(y)"]
    case (.object(let x), .object(let y)):
      guard x.map(\.0) == y.map(\.0) else { return ["\(path): keys \(x.map(\.0)) vs \(y.map(\.0))"] }
      return zip(x, y).flatMap { same($0.1, $1.1, at: path + "." + $0.0, tolerance: tolerance) }
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) items"] }
      return zip(x, y).enumerated().flatMap { same($1.0, $1.1, at: path + "[\($0)]", tolerance: tolerance) }
    default:
      return a == b ? [] : ["\(path): SQLite \(a), ClickHouse \(b)"]
    }
  }

  static func summaries(_ files: [String], label: String, minimumModelCalls: Int) throws {
    let folder = TemporaryFolder()
    let (sqlite, clickhouse, url) = try stores(files, folder)
    let whole = try sqlite.summary()
    #expect(whole.totals.modelCalls >= minimumModelCalls && whole.totals.llmCalls > 0)
    var options: [[String]] = [[], ["--app", try #require(whole.apps.first?.name)], ["--model", try #require(whole.models.first?.name)]]
    if let f = whole.businessSystems.first?.fingerprint { options.append(["--system", f]) }
    // A window that cuts traces in two, with a baseline before it.
    let mid = whole.range.from + (whole.range.to - whole.range.from) / 2
    options.append(["--from", Timestamp.format(mid), "--baseline-from", Timestamp.format(whole.range.from), "--baseline-to", Timestamp.format(mid - 1)])
    for option in options {
      let a = CapturedRun(["summary", "--json", "--store", folder.file("store.db")] + option)
      let b = CapturedRun(["summary", "--json", "--store", url] + option)
      #expect(a.status == 0 && b.status == 0, "\(b.err)")
      let differences = same(try #require(JSONValue.parse(a.out)), try #require(JSONValue.parse(b.out)))
      #expect(differences.isEmpty, "\(label) \(option): \(differences.prefix(5))")
    }
    // The other questions pages ask, each of every kind. (Each ClickHouse query costs about a
    // second of planning whatever the data, so the model filter gets the one question it changes most.)
    let range = whole.range
    for selection in LLMCallSelection.allCases {
      #expect(try sqlite.llmCalls(in: range, filter: SpanFilter(), selection: selection, limit: 7) == clickhouse.llmCalls(in: range, filter: SpanFilter(), selection: selection, limit: 7), "\(label) \(selection)")
    }
    let model = SpanFilter(model: whole.models.first?.name)
    #expect(try sqlite.llmCalls(in: range, filter: model, selection: .slowest, limit: 100) == clickhouse.llmCalls(in: range, filter: model, selection: .slowest, limit: 100))
    for (filter, onlyErrors) in [(SpanFilter(), false), (model, true)] {
      var x: [SpanRow] = []
      var y: [SpanRow] = []
      try sqlite.forEachSpan(in: range, filter: filter, onlyErrors: onlyErrors, limit: 0) { x.append($0) }
      try clickhouse.forEachSpan(in: range, filter: filter, onlyErrors: onlyErrors, limit: 0) { y.append($0) }
      #expect(x == y && (onlyErrors || x.count == whole.totals.spans), "\(label) spans of \(filter)")
    }
    #expect(try sqlite.appDetails(in: range, filter: SpanFilter()) == clickhouse.appDetails(in: range, filter: SpanFilter()), "\(label) app details")
    let s = try sqlite.series(in: range, filter: model, prices: .bundled)
    let c = try clickhouse.series(in: range, filter: model, prices: .bundled)
    #expect(s.bucketing == c.bucketing && s.points.map(\.llmCalls) == c.points.map(\.llmCalls) && s.points.map(\.cost) == c.points.map(\.cost))
    #expect(zip(s.points, c.points).allSatisfy { abs(($0.modelLatency.p95 ?? 0) - ($1.modelLatency.p95 ?? 0)) < 1e-9 })
    for selection in [TracePageSelection.all, .errors, .slowest(2), .sample(2), .ids(["0123", try sqlite.traceIDs(in: range, selection: .all)[0]])] {
      #expect(try sqlite.traceIDs(in: range, selection: selection) == clickhouse.traceIDs(in: range, selection: selection), "\(label) \(selection)")
    }
  }

  @Test("summary --json, trace lists, span lists, app details and series are the same from ClickHouse as from SQLite",
    .enabled(if: ClickHouseServer.available))
  func corpus() throws {
    // The corpus dataset where two instrumentations record each call: both rules at work.
    try Self.summaries([Fixtures.corpus("openinference-langchain-plus-openai.jsonl")], label: "langchain-plus-openai", minimumModelCalls: 10)
  }

  @Test("so they are where the trace rules decide: duplicates, entries deep down, orphans, marked entries, business systems",
    .enabled(if: ClickHouseServer.available))
  func traceRules() throws {
    let folder = TemporaryFolder()
    let file = Self.ruleSpans(folder)
    // The spans do exercise the rules: the SQLite store's own reading of them.
    let (sqlite, _) = try ingestedStore([file], in: TemporaryFolder())
    let s = try sqlite.summary()
    #expect(s.totals.llmCalls == 7 && s.totals.modelCalls == 8 && s.businessSystems.count == 3, "\(s.totals.llmCalls) \(s.totals.modelCalls)")
    try Self.summaries([file], label: "rules", minimumModelCalls: 8)
  }

  @Test("a site built from ClickHouse is byte-identical to one built from SQLite", .enabled(if: ClickHouseServer.available))
  func site() throws {
    let folder = TemporaryFolder()
    let (_, _, url) = try Self.stores([Fixtures.corpus("openinference-langchain-plus-openai.jsonl")], folder)
    let options = ["--now", "2026-12-04T00:00:00Z", "--trace-pages", "all"]
    let a = CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("a")] + options)
    let b = CapturedRun(["build", "--store", url, "--out", folder.file("b")] + options)
    #expect(a.status == 0 && b.status == 0, "\(b.err)")
    let files = try FileManager.default.subpathsOfDirectory(atPath: folder.file("a")).sorted()
    let other = try FileManager.default.subpathsOfDirectory(atPath: folder.file("b")).sorted()
    #expect(files.count > 10 && files == other)
    for f in files where !f.hasSuffix("/") {
      let (x, y) = (FileManager.default.contents(atPath: folder.file("a/" + f)), FileManager.default.contents(atPath: folder.file("b/" + f)))
      #expect(x == y, "\(f) differs")
    }
  }
}
