import Foundation
import Testing

@testable import LLMScopeKit

/// Every dataset of the corpus (spans emitted by real instrumentation libraries), checked
/// against the figures the corpus's own script computed from the same data.
@Suite struct CorpusTests {
  struct Dataset: CustomTestStringConvertible, Sendable {
    let name: String
    var testDescription: String { name }
    /// Model calls recorded twice (LangChain + SDK) make span counts differ from call counts.
    var hasDuplicateCalls: Bool { name == "openinference-langchain-plus-openai" }
  }

  static let datasets = Fixtures.datasets.map(Dataset.init(name:))

  private func ingest(_ d: Dataset, in folder: TemporaryFolder) throws -> (SQLiteSpanStore, Summary) {
    let (store, report) = try ingestedStore([Fixtures.corpus(d.name + ".jsonl")], in: folder)
    #expect(report.rejections.isEmpty)
    return (store, try store.summary())
  }

  /// Tolerance for figures the corpus rounds to 0.1 ms.
  private func close(_ a: Double?, _ b: Any?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let expected = b as? Double else {
      #expect(a == nil, "expected no value, got \(String(describing: a))", sourceLocation: sourceLocation)
      return
    }
    guard let a else {
      Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
      return
    }
    #expect(abs(a - expected) <= 0.051, "\(a) vs \(expected)", sourceLocation: sourceLocation)
  }

  private func int(_ v: Any?) -> Int { (v as? NSNumber)?.intValue ?? -1 }

  @Test("JSON lines and protobuf of the same data give identical stores", arguments: datasets)
  func jsonAndProtobufAgree(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (json, jr) = try ingestedStore([Fixtures.corpus(d.name + ".jsonl")], in: folder, name: "json.db")
    let (pb, pr) = try ingestedStore([Fixtures.corpus(d.name + "-pb")], in: folder, name: "pb.db")
    let spans = int(Fixtures.figures(d.name)["spans"])
    #expect(jr.stored == spans && pr.stored == spans)
    #expect(jr.rejections.isEmpty && pr.rejections.isEmpty)
    let a = try json.storedSpans()
    let b = try pb.storedSpans()
    #expect(a.count == spans)
    #expect(a == b)
    #expect(SummaryJSON.encode(try json.summary()) == SummaryJSON.encode(try pb.summary()))
  }

  @Test("totals match the corpus figures", arguments: datasets)
  func totals(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    let f = Fixtures.figures(d.name)
    #expect(s.totals.spans == int(f["spans"]))
    #expect(s.totals.traces == int(f["traces"]))
    #expect(s.totals.llmCalls == int(f["entry_spans"]))
    #expect(s.totals.llmCallErrors == int(f["entry_spans_with_error"]))
    guard !d.hasDuplicateCalls else { return }
    #expect(s.totals.modelCalls == int(f["llm_spans"]))
    #expect(s.totals.modelErrors == int(f["llm_error_spans"]))
    #expect(s.totals.callsWithUsage == int(f["llm_spans_with_token_usage"]))
    #expect(s.totals.inputTokens == Int64(int(f["input_tokens"])))
    #expect(s.totals.outputTokens == Int64(int(f["output_tokens"])))
    #expect(s.totals.cacheReadTokens == Int64(int(f["cache_read_tokens"])))
    #expect(s.totals.ttftCalls == int(f["chat_spans_with_ttft"]))
  }

  @Test("per app figures match the corpus's per-service figures", arguments: datasets)
  func perApp(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    let services = Fixtures.figures(d.name)["by_service"] as! [String: [String: Any]]
    #expect(s.apps.map(\.name) == services.keys.sorted())
    for app in s.apps {
      let e = services[app.name]!
      let f = app.figures
      #expect(f.spans == int(e["spans"]), "\(app.name)")
      #expect(f.traces == int(e["traces"]), "\(app.name)")
      #expect(f.llmCalls == int(e["entry_spans"]), "\(app.name)")
      #expect(f.instances == 1)
      #expect(app.businessSystem == Fingerprint.of(e["token"] as! String))
      guard !d.hasDuplicateCalls else { continue }
      #expect(f.modelCalls == int(e["llm_calls"]), "\(app.name)")
      #expect(f.modelErrors == int(e["llm_errors"]), "\(app.name)")
      #expect(f.inputTokens == Int64(int(e["input_tokens"])), "\(app.name)")
      #expect(f.outputTokens == Int64(int(e["output_tokens"])), "\(app.name)")
      let l = e["llm_latency_ms"] as! [String: Any]
      close(f.modelLatency.avg, l["mean"])
      close(f.modelLatency.p50, l["p50"])
      close(f.modelLatency.p90, l["p90"])
      close(f.modelLatency.p99, l["p99"])
      close(f.modelLatency.max, l["max"])
      close(f.ttftAvgMs, (e["ttft_ms"] as? [String: Any])?["mean"])
    }
  }

  @Test("per request model figures match the corpus's per-model figures", arguments: datasets)
  func perRequestModel(_ d: Dataset) throws {
    guard !d.hasDuplicateCalls else { return }
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    let models = Fixtures.figures(d.name)["by_request_model"] as! [String: [String: Any]]
    #expect(s.requestModels.map(\.name) == models.keys.sorted())
    for m in s.requestModels {
      let e = models[m.name]!
      let f = m.figures
      #expect(f.modelCalls == int(e["calls"]), "\(m.name)")
      #expect(f.modelErrors == int(e["errors"]), "\(m.name)")
      #expect(f.callsWithUsage == int(e["calls_with_usage"]), "\(m.name)")
      #expect(f.inputTokens == Int64(int(e["input_tokens"])), "\(m.name)")
      #expect(f.outputTokens == Int64(int(e["output_tokens"])), "\(m.name)")
      #expect(f.cacheReadTokens == Int64(int(e["cache_read_tokens"])), "\(m.name)")
      #expect(m.kind == (e["op"] as! String == "embeddings" ? .embedding : .llm))
      let l = e["latency_ms"] as! [String: Any]
      close(f.modelLatency.avg, l["mean"])
      close(f.modelLatency.p50, l["p50"])
      close(f.modelLatency.p90, l["p90"])
      close(f.modelLatency.p99, l["p99"])
      close(f.ttftAvgMs, (e["ttft_ms"] as? [String: Any])?["mean"])
    }
  }

  @Test("successful calls per response model match", arguments: datasets)
  func perResponseModel(_ d: Dataset) throws {
    guard !d.hasDuplicateCalls else { return }
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    let expected = Fixtures.figures(d.name)["by_response_model_ok_calls"] as! [String: [String: Any]]
    for (name, e) in expected {
      let m = try #require(s.models.first { $0.name == name }, "\(name)")
      #expect(m.figures.modelCalls - m.figures.modelErrors == int(e["calls"]), "\(name)")
      if m.figures.modelErrors == 0 {
        #expect(m.figures.inputTokens == Int64(int(e["input_tokens"])), "\(name)")
        #expect(m.figures.outputTokens == Int64(int(e["output_tokens"])), "\(name)")
      }
    }
  }

  @Test("per business system figures match the corpus's per-token figures", arguments: datasets)
  func perBusinessSystem(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    let tokens = Fixtures.figures(d.name)["by_token"] as! [String: [String: Any]]
    #expect(s.businessSystems.count == tokens.count)
    for (token, e) in tokens {
      let b = try #require(s.businessSystems.first { $0.fingerprint == Fingerprint.of(token) })
      #expect(b.apps == (e["services"] as! [String]).sorted())
      guard !d.hasDuplicateCalls else { continue }
      #expect(b.figures.modelCalls == int(e["llm_calls"]))
      #expect(b.figures.modelErrors == int(e["llm_errors"]))
      #expect(b.figures.inputTokens == Int64(int(e["input_tokens"])))
      #expect(b.figures.outputTokens == Int64(int(e["output_tokens"])))
    }
  }

  @Test("LLM call latency is computed over the entry spans", arguments: datasets)
  func entryLatency(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (_, s) = try ingest(d, in: folder)
    // Independent reading: Foundation's JSON parser over the same file.
    var perApp: [String: [Double]] = [:]
    let text = try String(contentsOfFile: Fixtures.corpus(d.name + ".jsonl"), encoding: .utf8)
    for line in text.split(separator: "\n") {
      let doc = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      for rs in doc["resourceSpans"] as! [[String: Any]] {
        let resAttrs = (rs["resource"] as! [String: Any])["attributes"] as! [[String: Any]]
        let app = (resAttrs.first { $0["key"] as! String == "service.name" }!["value"] as! [String: Any])["stringValue"] as! String
        for ss in rs["scopeSpans"] as! [[String: Any]] {
          for span in ss["spans"] as! [[String: Any]] {
            let attrs = span["attributes"] as? [[String: Any]] ?? []
            let entry = attrs.contains { $0["key"] as! String == "gen_ai.is_entry" && (($0["value"] as! [String: Any])["boolValue"] as? Bool ?? false) }
            guard entry else { continue }
            let start = Int64(span["startTimeUnixNano"] as! String)!
            let end = Int64(span["endTimeUnixNano"] as! String)!
            perApp[app, default: []].append(Double(end - start) / 1e6)
          }
        }
      }
    }
    func numpyPercentile(_ v: [Double], _ q: Double) -> Double {
      let x = v.sorted()
      let pos = q * Double(x.count - 1)
      let i = Int(pos)
      return i + 1 < x.count ? x[i] + (pos - Double(i)) * (x[i + 1] - x[i]) : x[i]
    }
    for app in s.apps {
      let v = try #require(perApp[app.name])
      let l = app.figures.llmLatency
      #expect(l.count == v.count)
      #expect(abs(l.avg! - v.reduce(0, +) / Double(v.count)) < 0.001)
      #expect(abs(l.p50! - numpyPercentile(v, 0.5)) < 0.001)
      #expect(abs(l.p95! - numpyPercentile(v, 0.95)) < 0.001)
      #expect(abs(l.p99! - numpyPercentile(v, 0.99)) < 0.001)
    }
  }

  @Test("a model call recorded by LangChain and by the OpenAI SDK counts once, with the SDK's figures")
  func dualInstrumentationCountsOnce() throws {
    let folder = TemporaryFolder()
    let d = Dataset(name: "openinference-langchain-plus-openai")
    let (_, s) = try ingest(d, in: folder)
    let truth = (Fixtures.expected[d.name] as! [String: Any])["server_ground_truth"] as! [String: Any]
    let kinds = truth["by_kind_status"] as! [String: Any]
    #expect(s.totals.modelCalls == int(truth["requests"]))
    let chat = s.models.filter { $0.kind == .llm }.reduce(0) { $0 + $1.figures.modelCalls }
    let embeddings = s.models.filter { $0.kind == .embedding }.reduce(0) { $0 + $1.figures.modelCalls }
    #expect(chat == int(kinds["chat 200"]))
    #expect(embeddings == int(kinds["embeddings 200"]))
    // The SDK spans carry exactly the tokens the server counted.
    #expect(s.totals.inputTokens == Int64(int(truth["ok_prompt_tokens"])))
    #expect(s.totals.outputTokens == Int64(int(truth["ok_completion_tokens"])))
    #expect(s.totals.spans == 53)
  }

  @Test("ingesting the same data again adds nothing", arguments: [datasets[0], datasets[4]])
  func reingestIsIdempotent(_ d: Dataset) throws {
    let folder = TemporaryFolder()
    let (store, first) = try ingestedStore([Fixtures.corpus(d.name + ".jsonl")], in: folder)
    let before = try store.storedSpans()
    let summaryBefore = SummaryJSON.encode(try store.summary())
    let again = try Ingestor(store: store).ingest([Fixtures.corpus(d.name + ".jsonl"), Fixtures.corpus(d.name + "-pb")])
    #expect(again.stored == 0)
    #expect(again.duplicates == first.stored * 2)
    #expect(try store.storedSpans() == before)
    #expect(SummaryJSON.encode(try store.summary()) == summaryBefore)
  }
}
