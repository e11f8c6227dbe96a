import Testing

@testable import LLMScopeKit

@Suite struct TraceRulesTests {
  private func span(
    _ id: String, parent: String = "", _ kind: OperationKind, marked: Bool = false, start: Int64 = 0, end: Int64 = 100,
    scope: String = "app", model: String? = nil, response: String? = nil
  ) -> TraceSpanFacts {
    TraceSpanFacts(spanID: id, parentSpanID: parent, kind: kind, markedEntry: marked, start: start, end: end, scopeName: scope, requestModel: model, responseModel: response)
  }

  @Test("marked spans are the entries")
  func markedEntries() {
    let spans = [span("a", .other, marked: true), span("b", parent: "a", .agent), span("c", parent: "b", .llm)]
    #expect(TraceRules.entries(spans) == ["a"])
  }

  @Test("without a marker, each topmost GenAI span is an entry, through non-GenAI parents and missing ones")
  func topmostGenAI() {
    let spans = [
      span("http", .other), span("agent", parent: "http", .agent), span("llm", parent: "agent", .llm),
      span("orphan", parent: "gone", .llm), span("tool", parent: "orphan", .tool), span("db", parent: "http", .other),
    ]
    #expect(TraceRules.entries(spans) == ["agent", "orphan"])
    #expect(TraceRules.entries([span("x", .other)]).isEmpty)
  }

  @Test("a framework span and an SDK span of one call count once, as the SDK span")
  func frameworkAndSDK() {
    let spans = [
      span("lc", .llm, start: 0, end: 500, scope: "openinference.instrumentation.langchain", model: "gpt-4o-mini", response: "gpt-4o-mini-2024-07-18"),
      span("sdk", .llm, start: 10, end: 480, scope: "openinference.instrumentation.openai", model: "gpt-4o-mini", response: "gpt-4o-mini-2024-07-18"),
    ]
    #expect(TraceRules.duplicates(spans) == ["lc": "sdk"])
  }

  @Test("parallel calls stay apart: each SDK span absorbs one framework span, the one it overlaps most")
  func parallelCalls() {
    let spans = [
      span("lc1", .llm, start: 0, end: 500, scope: "langchain", model: "m"),
      span("lc2", .llm, start: 20, end: 900, scope: "langchain", model: "m"),
      span("sdk1", .llm, start: 5, end: 490, scope: "openai", model: "m"),
      span("sdk2", .llm, start: 30, end: 880, scope: "openai", model: "m"),
    ]
    #expect(TraceRules.duplicates(spans) == ["lc1": "sdk1", "lc2": "sdk2"])
  }

  @Test("same scope, other model, other kind or no overlap: separate calls")
  func notDuplicates() {
    #expect(TraceRules.duplicates([span("a", .llm, scope: "openai", model: "m"), span("b", .llm, scope: "openai", model: "m")]).isEmpty)
    #expect(TraceRules.duplicates([span("a", .llm, scope: "langchain", model: "gpt-4o"), span("b", .llm, scope: "openai", model: "gpt-4o-mini")]).isEmpty)
    #expect(TraceRules.duplicates([span("a", .llm, scope: "langchain", model: "m"), span("b", .embedding, scope: "openai", model: "m")]).isEmpty)
    #expect(TraceRules.duplicates([span("a", .llm, start: 0, end: 10, scope: "langchain", model: "m"), span("b", .llm, start: 20, end: 30, scope: "openai", model: "m")]).isEmpty)
  }

  @Test("model names match with a dated suffix only", arguments: [
    ("gpt-4o-mini", "gpt-4o-mini-2024-07-18", true), ("gpt-4o", "gpt-4o-mini", false), ("qwen-plus", "qwen-plus", true),
    ("claude-3", "claude-3-5", false), ("gpt-4", "gpt-4-0613", true), ("llama3", "llama3:8b", false),
  ])
  func modelNames(_ a: String, _ b: String, _ same: Bool) {
    #expect(TraceRules.sameModel(a, b) == same)
  }
}
