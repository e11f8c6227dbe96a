import LLMScopeKit

/// A synthetic span with the attributes real GenAI instrumentations emit.
struct SyntheticSpan {
  var traceID: [UInt8]
  var spanID: [UInt8]
  var parentID: [UInt8]
  var name: String
  var kind: Int
  var start: Int64
  var end: Int64
  var statusCode: Int
  var statusMessage: String
  var attributes: [(String, SyntheticValue)]
  var events: [(name: String, time: Int64, attributes: [(String, SyntheticValue)])]
}

enum SyntheticValue {
  case string(String), int(Int64), double(Double), bool(Bool), strings([String])
}

/// One export message: the spans of one app, as a batch span processor sends them.
struct SyntheticBatch {
  var app: Int
  var spans: [SyntheticSpan]
}

/// Generates apps, traces and spans: about 10 apps, 8 models, traces of 5–50 spans and a few
/// of 10,000, mixing OTel GenAI and OpenInference attributes.
struct SyntheticGenerator {
  static let apps = (0..<10).map { "bench-app-\($0)" }
  static let models = ["gpt-4o", "gpt-4o-mini", "deepseek-v3.1", "qwen-plus", "claude-3-5-sonnet", "llama3-70b", "text-embedding-3-small", "mistral-large"]
  var rng = SplitMix64(seed: 42)
  var clock: Int64 = 1_790_000_000_000_000_000
  var traceCounter: UInt64 = 0
  var spanCounter: UInt64 = 0

  static func resourceAttributes(_ app: Int) -> [(String, SyntheticValue)] {
    [
      ("service.name", .string(apps[app])), ("host.name", .string("host-\(app % 4)")), ("token", .string("bench-token-\(app % 3)")),
      ("service.version", .string("1.\(app).0")), ("deployment.environment.name", .string("bench")),
      ("telemetry.sdk.language", .string("python")), ("telemetry.sdk.name", .string("opentelemetry")), ("telemetry.sdk.version", .string("1.45.2")),
    ]
  }

  private mutating func traceID() -> [UInt8] {
    traceCounter &+= 1
    return id(16, traceCounter)
  }

  private mutating func spanID() -> [UInt8] {
    spanCounter &+= 1
    return id(8, spanCounter)
  }

  private mutating func id(_ n: Int, _ counter: UInt64) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: n)
    var v = counter &* 0x9E37_79B9_7F4A_7C15 ^ rng.next()
    for i in 0..<n {
      if i % 8 == 0 && i > 0 { v = rng.next() }
      out[i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i % 8)))
    }
    out[n - 1] |= 1
    return out
  }

  private static let words = ["observability", "latency", "token", "模型", "检索", "agent", "<b>bold</b>", "quote\"d", "tab\there", "emoji😀", "retrieval", "context"]

  private mutating func text(_ words: Int) -> String {
    var s = ""
    for i in 0..<words {
      if i > 0 { s += " " }
      s += Self.words[rng.int(0...(Self.words.count - 1))]
    }
    return s
  }

  /// One trace of `size` spans for `app`.
  mutating func trace(app: Int, size: Int) -> [SyntheticSpan] {
    let traceID = traceID()
    let openInference = app % 2 == 1
    var spans: [SyntheticSpan] = []
    let start = clock
    clock += Int64(rng.int(1...2_000)) * 1_000_000
    let rootID = spanID()
    var t = start + 1_000_000
    var parents = [rootID]
    for i in 1..<max(size, 2) {
      let sid = spanID()
      let parent = parents[rng.int(0...(parents.count - 1))]
      let dur = Int64(rng.int(5...1500)) * 1_000_000
      let role = rng.int(0...9)
      var s = SyntheticSpan(traceID: traceID, spanID: sid, parentID: parent, name: "", kind: 1, start: t, end: t + dur, statusCode: 0, statusMessage: "", attributes: [], events: [])
      if i == 1 {
        s.name = "invoke_agent planner"
        s.attributes = openInference ? [("openinference.span.kind", .string("AGENT")), ("agent.name", .string("planner"))]
          : [("gen_ai.operation.name", .string("invoke_agent")), ("gen_ai.agent.name", .string("planner"))]
        parents.append(sid)
      } else if role < 4 {
        let model = Self.models[rng.int(0...(Self.models.count - 1))]
        let input = Int64(rng.int(20...4000))
        let output = Int64(rng.int(1...800))
        let failed = rng.chance(0.03)
        s.kind = 3
        if failed {
          s.statusCode = 2
          s.statusMessage = "RateLimitError: Error code: 429"
        }
        if openInference {
          s.name = "ChatCompletion"
          s.attributes = [
            ("openinference.span.kind", .string("LLM")), ("llm.model_name", .string(model + "-2024-08-06")),
            ("llm.invocation_parameters", .string("{\"model\": \"\(model)\", \"temperature\": 0.7, \"stream\": \(rng.chance(0.3))}")),
            ("llm.system", .string("openai")), ("llm.provider", .string("openai")),
            ("llm.token_count.prompt", .int(input)), ("llm.token_count.completion", .int(output)), ("llm.token_count.total", .int(input + output)),
            ("llm.input_messages.0.message.role", .string("system")), ("llm.input_messages.0.message.content", .string(text(12))),
            ("llm.input_messages.1.message.role", .string("user")), ("llm.input_messages.1.message.content", .string(text(30))),
            ("llm.output_messages.0.message.role", .string("assistant")), ("llm.output_messages.0.message.content", .string(text(40))),
            ("session.id", .string("session-\(rng.int(1...500))")), ("user.id", .string("user-\(rng.int(1...200))")),
          ]
          if rng.chance(0.3) { s.events.append(("First Token Stream Event", t + dur / 4, [])) }
        } else {
          s.name = "chat \(model)"
          s.attributes = [
            ("gen_ai.operation.name", .string("chat")), ("gen_ai.provider.name", .string("openai")), ("gen_ai.request.model", .string(model)),
            ("gen_ai.response.model", .string(model + "-2024-08-06")), ("gen_ai.request.temperature", .double(0.7)),
            ("gen_ai.usage.input_tokens", .int(input)), ("gen_ai.usage.output_tokens", .int(output)),
            ("gen_ai.response.finish_reasons", .strings(["stop"])), ("gen_ai.response.id", .string("chatcmpl-\(rng.next())")),
            ("gen_ai.input.messages", .string("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"\(text(30).replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\t", with: "\\t"))\"}]}]")),
            ("gen_ai.output.messages", .string("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"\(text(40).replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\t", with: "\\t"))\"}],\"finish_reason\":\"stop\"}]")),
          ]
          if rng.chance(0.3) { s.attributes.append(("gen_ai.response.time_to_first_chunk", .double(Double(dur) / 4e9))) }
          if failed { s.attributes.append(("error.type", .string("RateLimitError"))) }
        }
      } else if role < 6 {
        s.name = openInference ? "search_docs" : "execute_tool search_docs"
        s.attributes = openInference ? [("openinference.span.kind", .string("TOOL")), ("tool.name", .string("search_docs"))]
          : [("gen_ai.operation.name", .string("execute_tool")), ("gen_ai.tool.name", .string("search_docs")), ("gen_ai.tool.call.id", .string("call_\(rng.next() % 100000)"))]
      } else {
        s.name = "SELECT documents"
        s.kind = 3
        s.attributes = [("db.system", .string("postgresql")), ("db.statement", .string("SELECT id, body FROM documents WHERE embedding <-> $1 < 0.3 LIMIT 5")), ("server.address", .string("db.internal"))]
      }
      spans.append(s)
      t += Int64(rng.int(0...200)) * 1_000_000
      if rng.chance(0.1) { parents.append(sid) }
    }
    let end = (spans.map(\.end).max() ?? t) + 2_000_000
    let failed = spans.contains { $0.statusCode == 2 } && rng.chance(0.5)
    let root = SyntheticSpan(
      traceID: traceID, spanID: rootID, parentID: [], name: "POST /api/chat", kind: 2, start: start, end: end,
      statusCode: failed ? 2 : 0, statusMessage: "",
      attributes: [("gen_ai.is_entry", .bool(true)), ("http.request.method", .string("POST")), ("url.path", .string("/api/chat")), ("http.response.status_code", .int(failed ? 500 : 200))],
      events: [])
    return [root] + spans
  }

  /// Calls `body` with export batches (at most 512 spans of one app) until `total` spans.
  mutating func generate(total: Int, _ body: (SyntheticBatch) throws -> Void) rethrows {
    var produced = 0
    var pending = [[SyntheticSpan]](repeating: [], count: Self.apps.count)
    var bigTraces = 0
    while produced < total {
      let app = rng.int(0...(Self.apps.count - 1))
      var size = rng.int(5...50)
      if bigTraces < 10 && rng.chance(0.0005) {
        size = 10_000
        bigTraces += 1
      }
      size = min(size, total - produced)
      if size < 2 { size = 2 }
      pending[app] += trace(app: app, size: size)
      produced += size
      while pending[app].count >= 512 {
        try body(SyntheticBatch(app: app, spans: Array(pending[app].prefix(512))))
        pending[app].removeFirst(512)
      }
    }
    for app in 0..<pending.count where !pending[app].isEmpty { try body(SyntheticBatch(app: app, spans: pending[app])) }
  }
}
