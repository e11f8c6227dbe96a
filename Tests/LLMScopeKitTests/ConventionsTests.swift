import Testing

@testable import LLMScopeKit

/// Hand-made spans in the shapes each instrumentation family emits
/// (shared/docs/genai-conventions.md), read through the one convention table.
@Suite struct ConventionsTests {
  private func read(_ attrs: [String: AnyValue], name: String = "span", events: [SpanEvent] = [], status: Int32 = 0) -> CanonicalSpan {
    var s = Span()
    s.traceID = "0123456789abcdef0123456789abcdef"
    s.spanID = "0000000000000001"
    s.name = name
    s.startTimeUnixNano = 1_000_000_000_000
    s.endTimeUnixNano = 1_002_000_000_000
    s.attributes = attrs.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) }
    s.events = events
    s.status.code = status
    return Conventions.canonicalize(s, identity: ResourceIdentity(app: "a", instance: nil, businessSystem: nil))
  }

  private func event(_ name: String, atMs ms: Int64, _ attrs: [KeyValue] = []) -> SpanEvent {
    var e = SpanEvent()
    e.name = name
    e.timeUnixNano = 1_000_000_000_000 + ms * 1_000_000
    e.attributes = attrs
    return e
  }

  @Test("OTel GenAI: current names, TTFT in seconds, finish reasons as an array, provider aliases")
  func otelCurrent() {
    let c = read([
      "gen_ai.operation.name": .string("chat"), "gen_ai.provider.name": .string("az.ai.openai"),
      "gen_ai.request.model": .string("gpt-4o"), "gen_ai.response.model": .string("gpt-4o-2024-08-06"),
      "gen_ai.usage.input_tokens": .int(100), "gen_ai.usage.output_tokens": .int(20),
      "gen_ai.usage.cache_read.input_tokens": .int(64), "gen_ai.usage.reasoning.output_tokens": .int(5),
      "gen_ai.response.time_to_first_chunk": .double(0.35), "gen_ai.request.stream": .bool(true),
      "gen_ai.response.finish_reasons": .array([.string("tool_calls"), .string("stop")]),
      "gen_ai.conversation.id": .string("conv-1"),
    ])
    #expect(c.kind == .llm && c.provider == "azure.ai.openai")
    #expect(c.requestModel == "gpt-4o" && c.responseModel == "gpt-4o-2024-08-06" && c.model == "gpt-4o-2024-08-06")
    #expect(c.inputTokens == 100 && c.outputTokens == 20 && c.totalTokens == 120 && c.cacheReadTokens == 64 && c.reasoningTokens == 5)
    #expect(c.ttftNanos == 350_000_000 && c.streaming == true)
    #expect(c.finishReasons == ["tool_call", "stop"])
    #expect(c.sessionID == "conv-1" && !c.isError)
  }

  @Test("OTel ≤1.26 and OpenLLMetry: old token names, capitalised gen_ai.system, indexed completions, chunk events")
  func openLLMetryLegacy() {
    let c = read(
      [
        "llm.request.type": .string("chat"), "gen_ai.system": .string("MistralAI"), "gen_ai.request.model": .string("mistral-large"),
        "gen_ai.usage.prompt_tokens": .int(11), "gen_ai.usage.completion_tokens": .int(7), "llm.usage.total_tokens": .int(18),
        "gen_ai.completion.1.finish_reason": .string("length"), "gen_ai.completion.0.finish_reason": .string("tool_calls"),
        "gen_ai.prompt.name": .string("not an index"), "llm.is_streaming": .bool(true),
      ], name: "mistralai.chat", events: [event("llm.content.completion.chunk", atMs: 420), event("llm.content.completion.chunk", atMs: 300)])
    #expect(c.kind == .llm && c.provider == "mistral_ai")
    #expect(c.inputTokens == 11 && c.outputTokens == 7 && c.totalTokens == 18)
    #expect(c.finishReasons == ["tool_call"])
    #expect(c.ttftNanos == 300_000_000 && c.streaming == true)
  }

  @Test("OpenInference: span kind, request model from invocation parameters, TTFT from the first-token event")
  func openInference() {
    let c = read(
      [
        "openinference.span.kind": .string("LLM"), "llm.model_name": .string("gpt-4o-mini-2024-07-18"),
        "llm.invocation_parameters": .string(#"{"model": "gpt-4o-mini", "stream": true}"#),
        "llm.provider": .string("openai"), "llm.token_count.prompt": .int(30), "llm.token_count.completion": .int(4),
        "llm.token_count.total": .int(34), "llm.token_count.prompt_details.cache_read": .int(16), "llm.cost.total": .double(0.0012),
      ], name: "ChatCompletion", events: [event("First Token Stream Event", atMs: 250)])
    #expect(c.kind == .llm && c.provider == "openai")
    #expect(c.requestModel == "gpt-4o-mini" && c.responseModel == "gpt-4o-mini-2024-07-18")
    #expect(c.inputTokens == 30 && c.outputTokens == 4 && c.totalTokens == 34 && c.cacheReadTokens == 16)
    #expect(c.costUSD == 0.0012 && c.ttftNanos == 250_000_000 && c.streaming == true)
    let e = read(["openinference.span.kind": .string("EMBEDDING"), "embedding.model_name": .string("text-embedding-3-small")])
    #expect(e.kind == .embedding && e.requestModel == "text-embedding-3-small" && e.model == "text-embedding-3-small")
  }

  @Test("Langfuse: disjoint usage buckets summed, completion start time, level ERROR")
  func langfuse() {
    let c = read([
      "langfuse.observation.type": .string("generation"), "langfuse.observation.model.name": .string("claude-3-5-sonnet"),
      "langfuse.observation.usage_details": .string(#"{"input":10,"input_cached_tokens":5,"output":7,"output_reasoning_tokens":3}"#),
      "langfuse.observation.cost_details": .string(#"{"input":0.1,"output":0.2,"total":0.3}"#),
      "langfuse.observation.completion_start_time": .string(#""1970-01-01T00:16:40.750Z""#),
      "langfuse.observation.level": .string("ERROR"), "langfuse.observation.status_message": .string("overloaded"),
    ])
    #expect(c.kind == .llm && c.requestModel == "claude-3-5-sonnet")
    #expect(c.inputTokens == 15 && c.outputTokens == 10 && c.totalTokens == 25 && c.cacheReadTokens == 5 && c.reasoningTokens == 3)
    #expect(c.costUSD == 0.3)
    #expect(c.ttftNanos == 750_000_000)
    #expect(c.isError && c.errorMessage == "overloaded")
    // A Langfuse `span` falls through to the next family's kind.
    #expect(read(["langfuse.observation.type": .string("span"), "gen_ai.operation.name": .string("execute_tool")]).kind == .tool)
  }

  @Test("Dify (Tencent family): vendor kind outranks the stamped operation, strings become numbers and booleans")
  func dify() {
    let workflow = read([
      "gen_ai.span.kind": .string("WORKFLOW"), "gen_ai.operation.name": .string("chat"), "gen_ai.is_entry": .string("true"),
      "gen_ai.session.id": .string("s1"), "gen_ai.user.id": .string("u1"),
    ])
    #expect(workflow.kind == .chain && workflow.isMarkedEntry && workflow.sessionID == "s1" && workflow.userID == "u1")
    let llm = read([
      "gen_ai.span.kind": .string("GENERATION"), "gen_ai.usage.input_tokens": .string("12"),
      "gen_ai.usage.output_tokens": .string(" 3 "), "gen_ai.request.model": .string("qwen-max"), "llm.is_streaming": .string("true"),
    ])
    #expect(llm.kind == .llm && llm.inputTokens == 12 && llm.outputTokens == 3 && llm.streaming == true)
  }

  @Test("trpc-agent-go: framework name is no provider, TTFT and streaming keys, error.type")
  func trpc() {
    let c = read([
      "gen_ai.operation.name": .string("chat"), "gen_ai.system": .string("trpc.go.agent"), "gen_ai.request.model": .string("deepseek-chat"),
      "trpc_agent_go.client.time_to_first_token": .double(1.25), "gen_ai.request.is_stream": .bool(true),
      "gen_ai.usage.input_tokens.cached": .int(8), "error.type": .string("_OTHER"), "error.message": .string("boom"),
    ])
    #expect(c.provider == nil && c.ttftNanos == 1_250_000_000 && c.streaming == true && c.cacheReadTokens == 8)
    #expect(c.isError && c.errorType == "_OTHER" && c.errorMessage == "boom")
    #expect(read(["gen_ai.operation.name": .string("workflow")]).kind == .chain)
  }

  @Test("kinds fall back to tool keys, then model keys, then other")
  func kindFallbacks() {
    #expect(read(["tool.name": .string("search")]).kind == .tool)
    #expect(read(["gen_ai.tool.call.id": .string("call_1")]).kind == .tool)
    #expect(read(["gen_ai.request.model": .string("m")]).kind == .llm)
    #expect(read(["http.method": .string("POST")]).kind == .other)
    #expect(read(["openinference.span.kind": .string("GUARDRAIL"), "gen_ai.request.model": .string("m")]).kind == .other)
    #expect(read(["traceloop.span.kind": .string("workflow"), "gen_ai.operation.name": .string("execute_task")]).kind == .chain)
  }

  @Test("errors come from status, exception events and error.type; messages from status first")
  func errors() {
    let c = read([:], events: [event("exception", atMs: 5, [KeyValue(key: "exception.type", value: .string("ValueError")), KeyValue(key: "exception.message", value: .string("bad"))])])
    #expect(c.isError && c.errorType == "ValueError" && c.errorMessage == "bad")
    #expect(read([:], status: 2).isError)
    #expect(!read([:], status: 1).isError)
  }

  @Test("the business-system token is kept out of the canonical fields: only a stable fingerprint")
  func tokenFingerprint() {
    var r = Resource()
    r.attributes = [
      KeyValue(key: "service.name", value: .string("svc")), KeyValue(key: "service.instance.id", value: .string("i-1")),
      KeyValue(key: "token", value: .string("secret-token-123")),
    ]
    let id = Conventions.identity(of: r)
    #expect(id.app == "svc" && id.instance == "i-1")
    #expect(id.businessSystem == Fingerprint.of("secret-token-123"))
    #expect(id.businessSystem?.contains("secret") == false)
    #expect(Fingerprint.of("a") != Fingerprint.of("b"))
    r.attributes.append(KeyValue(key: "host.name", value: .string("host-a")))
    #expect(Conventions.identity(of: r).instance == "host-a")
    #expect(Conventions.identity(of: Resource()).app == "unknown_service")
  }
}
