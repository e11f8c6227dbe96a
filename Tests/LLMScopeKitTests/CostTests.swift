import Foundation
import Testing

@testable import LLMScopeKit

/// Cost at a price table: matching, effective dates, exact sums, unpriced calls, what-if.
@Suite struct CostTests {
  static let day: Int64 = 86_400_000_000_000

  static func table(_ rows: String) throws -> PriceTable {
    try PriceTable(json: "{\"taken\": \"2026-12-01\", \"prices\": [\(rows)]}", origin: "test.json")
  }

  @Test("an exact name beats every pattern, a longer pattern a shorter one, and names match without regard to case")
  func matching() throws {
    let t = try Self.table("""
      {"pattern": "gpt-4o*", "from": "2024-01-01", "input": 5, "output": 15, "source": "a"},
      {"pattern": "gpt-4o-mini*", "from": "2024-01-01", "input": 0.15, "output": 0.6, "source": "b"},
      {"model": "gpt-4o-mini-2024-07-18", "from": "2024-01-01", "input": 0.1, "output": 0.5, "source": "c"},
      {"pattern": "*embedding*", "from": "2024-01-01", "input": 0.02, "output": 0, "source": "d"}
      """)
    let at = Timestamp.parse("2025-01-01")!
    #expect(t.row(for: "gpt-4o-2024-08-06", at: at)?.source == "a")
    #expect(t.row(for: "gpt-4o-mini", at: at)?.source == "b")
    #expect(t.row(for: "GPT-4o-Mini-2024-07-18", at: at)?.source == "c")
    #expect(t.row(for: "text-embedding-3-small", at: at)?.source == "d")
    #expect(t.row(for: "claude-3-5-haiku", at: at) == nil)
    #expect(t.row(for: "gpt-4", at: at) == nil)
  }

  @Test("a call is priced at the row in effect on its day; before the first row it is unpriced")
  func effectiveDates() throws {
    let t = try Self.table("""
      {"model": "m", "from": "2024-05-13", "input": 5, "output": 15, "source": "launch"},
      {"model": "m", "from": "2024-10-02", "input": 2.5, "cached_input": 1.25, "output": 10, "source": "cut"}
      """)
    #expect(t.row(for: "m", at: Timestamp.parse("2024-05-12T23:59:59Z")!) == nil)
    #expect(t.row(for: "m", at: Timestamp.parse("2024-05-13T00:00:00Z")!)?.source == "launch")
    #expect(t.row(for: "m", at: Timestamp.parse("2024-10-01T23:59:59Z")!)?.source == "launch")
    #expect(t.row(for: "m", at: Timestamp.parse("2024-10-02T00:00:00Z")!)?.source == "cut")
    #expect(t.current(at: Timestamp.parse("2026-01-01")!).map(\.source) == ["cut"])
  }

  @Test("cached input and reasoning tokens are priced apart, and fall back to input and output prices")
  func buckets() throws {
    let t = try Self.table("""
      {"model": "r", "from": "2024-01-01", "input": 2, "cached_input": 0.5, "output": 8, "reasoning": 12, "source": "x"},
      {"model": "p", "from": "2024-01-01", "input": 2, "output": 8, "source": "y"}
      """)
    let tokens = TokenBuckets(input: 1000, cacheRead: 400, output: 300, reasoning: 100)
    #expect(tokens == { var b = TokenBuckets(); b.uncachedInput = 600; b.cachedInput = 400; b.plainOutput = 200; b.reasoning = 100; return b }())
    // 600×2 + 400×0.5 + 200×8 + 100×12 = 4200 USD per million tokens → $0.0042.
    let r = t.rows[0].cost(of: tokens)
    #expect(r.total.json == "0.004200" && r.cachedInput.json == "0.000200" && r.reasoning.json == "0.001200")
    // Without cached and reasoning prices: 1000×2 + 300×8 = 4400 → $0.0044.
    #expect(t.rows[1].cost(of: tokens).total.json == "0.004400")
    // A part larger than its whole is cut to the whole.
    #expect(TokenBuckets(input: 10, cacheRead: 50, output: 5, reasoning: 9) == { var b = TokenBuckets(); b.cachedInput = 10; b.reasoning = 5; return b }())
  }

  @Test("costs are summed exactly: a million one-token calls at $0.15 per million tokens cost $0.15")
  func exactSums() throws {
    let t = try Self.table(#"{"model": "m", "from": "2024-01-01", "input": 0.15, "output": 0.6, "source": "x"}"#)
    var total = USD.zero
    var double = 0.0
    for _ in 0..<1_000_000 {
      total = total + t.rows[0].cost(of: TokenBuckets(input: 1, cacheRead: nil, output: nil, reasoning: nil)).total
      double += 0.15 / 1e6
    }
    #expect(total.decimal(places: 12) == "0.150000000000")
    #expect(double != 0.15)  // what summing Doubles would have shown
    #expect(USD(pico: 1_234_567_890_123).display == "$1.23" && USD(pico: 45_555_000_000).display == "$0.0456")
    #expect(USD(pico: 75_000_000).display == "$0.000075" && USD(pico: 1_234_567_000_000_000_000).display == "$1,234,567.00")
    #expect(USD(pico: 5_000_000).json == "0.000005" && USD(pico: 4_999_999).json == "0.000005" && USD(pico: 499_999).json == "0.000000")
  }

  @Test("a price table with a mistake is refused, naming the row and field")
  func tableErrors() {
    func error(_ json: String) -> String {
      do {
        _ = try PriceTable(json: json, origin: "prices.json")
        return ""
      } catch { return error.description }
    }
    func row(_ fields: String) -> String { "{\"taken\": \"2026-12-01\", \"prices\": [{\(fields)}]}" }
    #expect(error("{\"taken\": \"2026-12-01\",\n \"prices\": [,]}").contains("prices.json: line 2: not valid JSON"))
    #expect(error(row(#""model": "m", "from": "2024-01-01", "output": 1, "source": "s""#)).contains("prices[0] (m): `input` is missing"))
    #expect(error(row(#""model": "m", "from": "yesterday", "input": 1, "output": 1, "source": "s""#)).contains("prices[0] (m): `from`"))
    #expect(error(row(#""model": "m", "from": "2024-01-01", "input": 0.0000001, "output": 1, "source": "s""#)).contains("more than six decimals"))
    #expect(error(row(#""model": "m", "from": "2024-01-01", "input": 1, "output": 1"#)).contains("`source` must say where"))
    #expect(error(row(#""model": "m", "from": "2024-01-01", "input": 1, "output": 1, "source": "s", "cahced_input": 1"#)).contains("unknown field `cahced_input`"))
    #expect(error(row(#""from": "2024-01-01", "input": 1, "output": 1, "source": "s""#)).contains("either `model`"))
    let twice = #"{"taken": "2026-12-01", "prices": [{"model": "m", "from": "2024-01-01", "input": 1, "output": 1, "source": "s"}, {"model": "M", "from": "2024-01-01", "input": 2, "output": 2, "source": "t"}]}"#
    #expect(error(twice).contains("prices[1] (M): the same model and `from` as prices[0]"))
  }

  @Test("the bundled price table parses and names a source for every row")
  func bundled() {
    let t = PriceTable.bundled
    #expect(t.rows.count > 30 && t.rows.allSatisfy { $0.source.hasPrefix("https://") })
    #expect(t.row(for: "gpt-4o-mini-2024-07-18", at: Timestamp.parse("2026-01-01")!)?.id == "gpt-4o-mini*@2024-10-01")
  }

  /// The corpus's cost per model, computed independently with Foundation's `Decimal` from the
  /// raw spans, at `prices` (model → (input, cached input, output) per million tokens).
  static func independentCost(_ dataset: String, _ prices: [String: (Decimal, Decimal, Decimal)]) throws -> (perModel: [String: Decimal], unpriced: [String: Int]) {
    var perModel: [String: Decimal] = [:]
    var unpriced: [String: Int] = [:]
    for r in try UsageAndComparisonTests.rawSpans(dataset) {
      let a = r.attributes
      let op = a["gen_ai.operation.name"] as? String
      let oi = a["openinference.span.kind"] as? String
      guard ["chat", "text_completion", "embeddings"].contains(op ?? "") || ["LLM", "EMBEDDING"].contains(oi ?? "") else { continue }
      let input = (a["gen_ai.usage.input_tokens"] ?? a["llm.token_count.prompt"]) as? Int64
      let output = (a["gen_ai.usage.output_tokens"] ?? a["llm.token_count.completion"]) as? Int64
      guard input != nil || output != nil else { continue }
      let cached = (a["gen_ai.usage.cache_read.input_tokens"] ?? a["llm.token_count.prompt_details.cache_read"]) as? Int64 ?? 0
      var model = (a["gen_ai.response.model"] ?? a["llm.model_name"] ?? a["gen_ai.request.model"]) as? String
      if model == nil, let params = a["embedding.invocation_parameters"] as? String ?? a["llm.invocation_parameters"] as? String,
        let json = try? JSONSerialization.jsonObject(with: Data(params.utf8)) as? [String: Any]
      {
        model = json["model"] as? String
      }
      let name = model ?? "(unknown)"
      guard let (pin, pcached, pout) = prices[name] else {
        unpriced[name, default: 0] += 1
        continue
      }
      let i = Decimal(input ?? 0), c = Decimal(cached), o = Decimal(output ?? 0)
      perModel[name, default: 0] += ((i - c) * pin + c * pcached + o * pout) / 1_000_000
    }
    return (perModel, unpriced)
  }

  static func rounded(_ d: Decimal) -> String {
    var v = d
    var r = Decimal()
    NSDecimalRound(&r, &v, 6, .plain)
    return NSDecimalNumber(decimal: r).stringValue
  }

  @Test("corpus costs per model equal an independent Decimal computation; a model with no row is unpriced", arguments: ["otel-openai-v2", "openinference-openai", "openinference-langchain"])
  func corpusCost(_ dataset: String) throws {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Fixtures.corpus(dataset + ".jsonl")], in: folder)
    // deepseek-v3.1 is left out of the table on purpose.
    let prices = folder.write("prices.json", """
      {"taken": "2026-12-01", "prices": [
        {"model": "gpt-4o-2024-08-06", "from": "2024-01-01", "input": 2.5, "cached_input": 1.25, "output": 10, "source": "t"},
        {"pattern": "gpt-4o-mini*", "from": "2024-01-01", "input": 0.15, "cached_input": 0.075, "output": 0.6, "source": "t"},
        {"model": "qwen-plus", "from": "2024-01-01", "input": 0.4, "output": 1.2, "source": "t"},
        {"model": "text-embedding-3-small", "from": "2024-01-01", "input": 0.02, "output": 0, "source": "t"},
        {"model": "text-embedding-3-large", "from": "2024-01-01", "input": 0.13, "output": 0, "source": "t"},
        {"model": "text-embedding-v3", "from": "2024-01-01", "input": 0.07, "output": 0, "source": "t"},
        {"model": "gpt-5-nonexistent", "from": "2024-01-01", "input": 1, "output": 1, "source": "t"},
        {"model": "gpt-4o", "from": "2024-01-01", "input": 2.5, "output": 10, "source": "t"}
      ]}
      """)
    let table: [String: (Decimal, Decimal, Decimal)] = [
      "gpt-4o-2024-08-06": (2.5, 1.25, 10), "gpt-4o-mini-2024-07-18": (0.15, 0.075, 0.6), "gpt-4o-mini": (0.15, 0.075, 0.6),
      "qwen-plus": (0.4, 0.4, 1.2), "text-embedding-3-small": (0.02, 0.02, 0), "text-embedding-3-large": (0.13, 0.13, 0),
      "text-embedding-v3": (0.07, 0.07, 0), "gpt-5-nonexistent": (1, 1, 1), "gpt-4o": (2.5, 2.5, 10),
    ]
    let (expected, unpriced) = try Self.independentCost(dataset, table)
    let run = CapturedRun(["summary", "--store", folder.file("store.db"), "--prices", prices, "--json"])
    #expect(run.status == 0, "\(run.err)")
    let json = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
    var total = Decimal(0)
    for m in json["models"] as! [[String: Any]] {
      let name = m["name"] as! String
      let cost = m["cost"] as! [String: Any]
      if let e = expected[name] {
        total += e
        #expect((cost["usd"] as? NSNumber)?.doubleValue == Double(Self.rounded(e)), "\(name)")
      } else {
        #expect(cost["usd"] is NSNull, "\(name)")
      }
      #expect((cost["unpriced_calls"] as! Int) == unpriced[name] ?? 0, "\(name)")
    }
    let totals = (json["totals"] as! [String: Any])["cost"] as! [String: Any]
    #expect((totals["usd"] as? NSNumber)?.doubleValue == Double(Self.rounded(total)))
    #expect((totals["unpriced_calls"] as! Int) == unpriced.values.reduce(0, +))
    #expect(unpriced["deepseek-v3.1", default: 0] > 0)
    #expect(Set((totals["unpriced_models"] as! [String: Int]).keys) == Set(unpriced.keys))
  }

  @Test("the models page's what-if cells are each model's tokens at each candidate's price")
  func whatIf() throws {
    let folder = TemporaryFolder()
    _ = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let build = CapturedRun(["build", "--store", folder.file("store.db"), "--out", folder.file("site"), "--now", "2026-12-03T00:00:00Z", "--trace-pages", "slowest:1"])
    #expect(build.status == 0, "\(build.err)")
    let summary = try JSONSerialization.jsonObject(with: Data(CapturedRun(["summary", "--store", folder.file("store.db"), "--json"]).out.utf8)) as! [String: Any]
    let models = Dictionary(uniqueKeysWithValues: (summary["models"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
    let html = try String(contentsOfFile: folder.file("site/models.html"), encoding: .utf8)
    let cell = try NSRegularExpression(pattern: #"data-what-if="([^"]+)" data-traffic="([^"]+)" data-value="([^"]+)""#)
    let matches = cell.matches(in: html, range: NSRange(html.startIndex..., in: html))
    #expect(matches.count > 40)
    let rows = Dictionary(uniqueKeysWithValues: PriceTable.bundled.rows.map { ($0.id, $0) })
    var checked = 0
    for m in matches {
      let g = (1...3).map { String(html[Range(m.range(at: $0), in: html)!]) }
      guard let model = models[HTMLEntities.decode(g[1])], let row = rows[g[0]] else { continue }
      // Independently: Decimal prices per million tokens times the model's token totals.
      func price(_ p: Int128?) -> Decimal { p.map { Decimal(Int64($0)) / 1_000_000 } ?? -1 }
      let input = Decimal(model["input_tokens"] as! Int), cached = Decimal(model["cache_read_tokens"] as! Int)
      let output = Decimal(model["output_tokens"] as! Int), reasoning = Decimal(model["reasoning_tokens"] as! Int)
      let cachedPrice = price(row.cachedInput) < 0 ? price(row.input) : price(row.cachedInput)
      let reasoningPrice = price(row.reasoning) < 0 ? price(row.output) : price(row.reasoning)
      let cost = ((input - cached) * price(row.input) + cached * cachedPrice + (output - reasoning) * price(row.output) + reasoning * reasoningPrice) / 1_000_000
      #expect(Double(g[2]) == Double(Self.rounded(cost)), "\(g)")
      checked += 1
    }
    #expect(checked > 20)
  }

  @Test("a trace page prices each model call with its row and sums the trace")
  func tracePage() throws {
    let folder = TemporaryFolder()
    let attrs = [
      OTLPJSON.attr("gen_ai.operation.name", OTLPJSON.str("chat")), OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("gpt-4o-mini")),
      OTLPJSON.attr("gen_ai.response.model", OTLPJSON.str("gpt-4o-mini-2024-07-18")), OTLPJSON.attr("gen_ai.usage.input_tokens", OTLPJSON.int(2000)),
      OTLPJSON.attr("gen_ai.usage.output_tokens", OTLPJSON.int(500)),
    ]
    let unknown = [OTLPJSON.attr("gen_ai.operation.name", OTLPJSON.str("chat")), OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("house-model")),
      OTLPJSON.attr("gen_ai.usage.input_tokens", OTLPJSON.int(10)), OTLPJSON.attr("gen_ai.usage.output_tokens", OTLPJSON.int(1))]
    let start: Int64 = 1_764_547_200_000_000_000  // 2025-12-01
    _ = try ingestedStore([folder.write("t.json", OTLPJSON.request(spans: [
      OTLPJSON.span(id: "0000000000000001", name: "entry", start: start, durationMs: 900, attributes: [OTLPJSON.attr("gen_ai.is_entry", "{\"boolValue\":true}")]),
      OTLPJSON.span(id: "0000000000000002", parent: "0000000000000001", name: "chat a", start: start + 1_000_000, durationMs: 300, attributes: attrs),
      OTLPJSON.span(id: "0000000000000003", parent: "0000000000000001", name: "chat b", start: start + 400_000_000, durationMs: 300, attributes: attrs),
      OTLPJSON.span(id: "0000000000000004", parent: "0000000000000001", name: "chat c", start: start + 700_000_000, durationMs: 100, attributes: unknown),
    ]))], in: folder)
    let r = CapturedRun(["trace", "0123456789abcdef0123456789abcdef", "--store", folder.file("store.db"), "-o", folder.file("t.html"), "--now", "2026-12-03T00:00:00Z"])
    #expect(r.status == 0, "\(r.err)")
    let html = try String(contentsOfFile: folder.file("t.html"), encoding: .utf8)
    // Each call: 2000 × $0.15 + 500 × $0.60 per million = $0.0006; two of them $0.0012.
    #expect(html.contains("$0.000600 at gpt-4o-mini*@2024-10-01"), "\(html)")
    #expect(html.contains("<dd title=\"at llmscope&#39;s default prices (Assets/prices.json), taken 2026-12-03; rows: gpt-4o-mini*@2024-10-01\">$0.00120 + 1 unpriced call</dd>"))
    #expect(html.contains("unpriced: no row of llmscope&#39;s default prices (Assets/prices.json) names house-model"))
  }
}
