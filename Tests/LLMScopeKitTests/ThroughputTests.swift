import Foundation
import Testing

@testable import LLMScopeKit

/// Time per output token, and which convention each TTFT and throughput figure came from.
@Suite struct ThroughputTests {
  static let start: Int64 = 1_764_547_200_000_000_000

  /// A streaming chat call: TTFT from `ttft` (an attribute or an event), `output` tokens.
  static func call(_ id: String, ms: Int64, output: Int, ttft: (key: String, ms: Int64)?, usageKey: String = "gen_ai.usage.output_tokens") -> String {
    var attrs = [
      OTLPJSON.attr("gen_ai.operation.name", OTLPJSON.str("chat")), OTLPJSON.attr("gen_ai.request.model", OTLPJSON.str("m")),
      OTLPJSON.attr(usageKey, OTLPJSON.int(output)), OTLPJSON.attr("gen_ai.usage.input_tokens", OTLPJSON.int(10)),
    ]
    var extra = ""
    let begin = start + Int64(Int(id, radix: 16)!) * 10_000_000_000
    if let ttft {
      if ttft.key == "event" {
        extra = #","events":[{"timeUnixNano":"\#(begin + ttft.ms * 1_000_000)","name":"First Token Stream Event"}]"#
      } else {
        attrs.append(OTLPJSON.attr(ttft.key, "{\"doubleValue\":\(Double(ttft.ms) / 1000)}"))
      }
    }
    return OTLPJSON.span(trace: String(repeating: "a", count: 16) + String(repeating: "0", count: 16 - id.count) + id, id: String(repeating: "0", count: 16 - id.count) + id, name: "chat", start: begin, durationMs: ms, attributes: attrs, extra: extra)
  }

  @Test("time per output token is (duration − TTFT) / (output tokens − 1), averaged over streaming calls")
  func tpot() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([folder.write("s.json", OTLPJSON.request(spans: [
      Self.call("1", ms: 1100, output: 101, ttft: ("gen_ai.response.time_to_first_chunk", 100)),  // 1000 ms / 100 = 10 ms
      Self.call("2", ms: 700, output: 51, ttft: ("event", 200)),  // 500 ms / 50 = 10… (event)
      Self.call("3", ms: 900, output: 1, ttft: ("gen_ai.response.time_to_first_chunk", 50)),  // one token: no TPOT
      Self.call("4", ms: 900, output: 40, ttft: nil, usageKey: "llm.token_count.completion"),  // not streaming
    ]))], in: folder)
    let f = try store.summary().totals
    #expect(f.tpotCalls == 2)
    #expect(abs(f.tpotAvgMs! - 10) < 1e-9)
    #expect(f.ttftSources == ["gen_ai.response.time_to_first_chunk": 2, "event First Token Stream Event": 1])
    #expect(f.throughputSources == ["gen_ai.usage.output_tokens": 3, "llm.token_count.completion": 1])
    // Where the sources differ, the card says so; the JSON has the counts.
    #expect(Directives.sourcesNote(.ttftAvg, f) == "from event First Token Stream Event (1), gen_ai.response.time_to_first_chunk (2)")
    #expect(Directives.sourcesNote(.outputTokensPerSecond, f) == "from gen_ai.usage.output_tokens (3), llm.token_count.completion (1)")
    let json = SummaryJSON.encode(try store.summary())
    #expect(json.contains(#""tpot_ms_avg":10.0,"tpot_calls":2,"ttft_sources":{"event First Token Stream Event":1,"gen_ai.response.time_to_first_chunk":2}"#))
  }

  @Test("one source: no note; corpus TTFT sources count every call with a TTFT")
  func corpusSources() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("openinference-openai.jsonl")], in: folder)
    let s = try store.summary()
    #expect(s.totals.ttftSources == ["event First Token Stream Event": s.totals.ttftCalls] && s.totals.ttftCalls > 0)
    #expect(Directives.sourcesNote(.ttftAvg, s.totals) == nil)
    for m in s.models { #expect(m.figures.ttftSources.values.reduce(0, +) == m.figures.ttftCalls, "\(m.name)") }
  }

  @Test("a store of schema 1 is upgraded in place; its spans keep their figures and record no source")
  func schemaUpgrade() throws {
    let folder = TemporaryFolder()
    let (store, _) = try ingestedStore([Fixtures.corpus("otel-openai-v2.jsonl")], in: folder)
    let before = SummaryJSON.encode(try store.summary())
    try store.db.execute("ALTER TABLE spans DROP COLUMN usage_source; ALTER TABLE spans DROP COLUMN ttft_source; PRAGMA user_version=1")
    let upgraded = try SQLiteSpanStore(path: folder.file("store.db"), create: true)
    #expect(upgraded.schemaVersion == Schema.version)
    let after = try upgraded.summary()
    #expect(after.totals.throughputSources == ["(not recorded)": after.totals.throughputSources.values.reduce(0, +)])
    // Everything but the sources is as before.
    func withoutSources(_ s: String) -> String {
      s.replacing(/"(throughput|ttft)_sources":\{[^}]*\}/, with: "")
    }
    #expect(withoutSources(SummaryJSON.encode(after)) == withoutSources(before))
  }
}
