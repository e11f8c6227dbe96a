import Testing

@testable import LLMScopeKit

/// Messages in the shapes of every family, by hand and from the corpus.
@Suite struct MessageReaderTests {
  private func span(_ attrs: [(String, AnyValue)], events: [SpanEvent] = []) -> Span {
    var s = Span()
    s.attributes = attrs.map { KeyValue(key: $0.0, value: $0.1) }
    s.events = events
    return s
  }

  @Test("OTel parts: text, tool calls and tool results, finish reasons, system instructions prepended")
  func otelParts() {
    let input = #"[{"role":"user","parts":[{"type":"text","content":"weather?"}]},{"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"get_weather","arguments":{"city":"Paris"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"c1","result":"sunny"}]}]"#
    let output = #"[{"role":"assistant","parts":[{"type":"text","content":"It is sunny."},{"type":"blob","modality":"image","mime_type":"image/png","content":"AAA="}],"finish_reason":"stop"}]"#
    let m = MessageReader.messages(of: span([
      ("gen_ai.input.messages", .string(input)), ("gen_ai.output.messages", .string(output)),
      ("gen_ai.system_instructions", .string(#"[{"type":"text","content":"Be brief."}]"#)),
    ]))
    #expect(m.input.map(\.role) == ["system", "user", "assistant", "tool"])
    #expect(m.input[0].parts == [.text("Be brief.")])
    #expect(m.input[2].parts == [.toolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
    #expect(m.input[3].parts == [.toolResult(id: "c1", response: "sunny")])
    #expect(m.output == [ChatMessage(role: "assistant", parts: [.text("It is sunny."), .media(type: "blob", detail: "image image/png")], finishReason: "stop")])
  }

  @Test("trpc-agent-go's own shape, and its OTel copy preferred when present")
  func trpcShape() {
    let input = #"[{"role":"system","content":"sys"},{"role":"assistant","content":"","tool_calls":[{"id":"t1","type":"function","function":{"name":"calc","arguments":"{\"x\":1}"}}]},{"role":"tool","content":"2","tool_call_id":"t1"}]"#
    let output = #"[{"index":0,"message":{"role":"assistant","content":"done","reasoning_content":"think"},"finish_reason":"tool_calls"}]"#
    let m = MessageReader.messages(of: span([("gen_ai.input.messages", .string(input)), ("gen_ai.output.messages", .string(output))]))
    #expect(m.input.map(\.role) == ["system", "assistant", "tool"])
    #expect(m.input[1].parts == [.toolCall(id: "t1", name: "calc", arguments: #"{"x":1}"#)])
    #expect(m.input[2].parts == [.toolResult(id: "t1", response: "2")])
    #expect(m.output == [ChatMessage(role: "assistant", parts: [.reasoning("think"), .text("done")], finishReason: "tool_call")])
    let both = MessageReader.messages(of: span([
      ("gen_ai.input.messages", .string(input)), ("gen_ai.input.messages.otel", .string(#"[{"role":"user","parts":[{"type":"text","content":"otel"}]}]"#)),
    ]))
    #expect(both.input == [ChatMessage(role: "user", parts: [.text("otel")])])
  }

  @Test("OpenLLMetry's indexed prompts and completions")
  func openLLMetry() {
    let m = MessageReader.messages(of: span([
      ("gen_ai.prompt.0.role", .string("user")), ("gen_ai.prompt.0.content", .string("hi")),
      ("gen_ai.prompt.1.role", .string("tool")), ("gen_ai.prompt.1.content", .string("42")), ("gen_ai.prompt.1.tool_call_id", .string("x")),
      ("gen_ai.prompt.name", .string("not a message")),
      ("gen_ai.completion.0.role", .string("assistant")), ("gen_ai.completion.0.finish_reason", .string("tool_calls")),
      ("gen_ai.completion.0.tool_calls.0.id", .string("y")), ("gen_ai.completion.0.tool_calls.0.name", .string("f")),
      ("gen_ai.completion.0.tool_calls.0.arguments", .string("{}")),
    ]))
    #expect(m.input == [ChatMessage(role: "user", parts: [.text("hi")]), ChatMessage(role: "tool", parts: [.toolResult(id: "x", response: "42")])])
    #expect(m.output == [ChatMessage(role: "assistant", parts: [.toolCall(id: "y", name: "f", arguments: "{}")], finishReason: "tool_call")])
  }

  @Test("OTel 1.28–1.36 message events and the 1.27 content events")
  func events() {
    func event(_ name: String, _ attrs: [(String, AnyValue)]) -> SpanEvent {
      var e = SpanEvent()
      e.name = name
      e.attributes = attrs.map { KeyValue(key: $0.0, value: $0.1) }
      return e
    }
    let m = MessageReader.messages(of: span([], events: [
      event("gen_ai.system.message", [("content", .string("sys"))]), event("gen_ai.user.message", [("content", .string("q"))]),
      event("gen_ai.choice", [("index", .int(0)), ("finish_reason", .string("stop")), ("message", .kvlist([KeyValue(key: "content", value: .string("a"))]))]),
    ]))
    #expect(m.input == [ChatMessage(role: "system", parts: [.text("sys")]), ChatMessage(role: "user", parts: [.text("q")])])
    #expect(m.output == [ChatMessage(role: "assistant", parts: [.text("a")], finishReason: "stop")])
    let old = MessageReader.messages(of: span([], events: [event("gen_ai.content.prompt", [("gen_ai.prompt", .string("plain prompt"))])]))
    #expect(old.input == [ChatMessage(role: "user", parts: [.text("plain prompt")])])
  }

  @Test("whole-text inputs (Langfuse, OpenInference input.value) become one message")
  func text() {
    let m = MessageReader.messages(of: span([("langfuse.observation.input", .string("\"just text\"")), ("output.value", .string("answer"))]))
    #expect(m.input == [ChatMessage(role: "user", parts: [.text("just text")])])
    #expect(m.output == [ChatMessage(role: "assistant", parts: [.text("answer")])])
  }

  @Test("corpus spans: OTel parts and OpenInference flattened messages are read")
  func corpus() throws {
    let folder = TemporaryFolder()
    for (dataset, expectToolCall) in [("otel-openai-v2", true), ("openinference-openai", true), ("openinference-langchain", true)] {
      let (store, _) = try ingestedStore([Fixtures.corpus(dataset + ".jsonl")], in: folder, name: dataset + ".db")
      var withInput = 0
      var withOutput = 0
      var toolCalls = 0
      var chat = 0
      for s in try store.storedSpans() {
        let c = Conventions.canonicalize(s.span, identity: Conventions.identity(of: s.resource))
        guard c.kind == .llm else { continue }
        chat += 1
        let m = MessageReader.messages(of: s.span)
        if m.input.contains(where: { $0.role == "user" && !$0.parts.isEmpty }) { withInput += 1 }
        if !m.output.isEmpty { withOutput += 1 }
        toolCalls += m.output.flatMap(\.parts).filter { if case .toolCall = $0 { true } else { false } }.count
        if dataset == "otel-openai-v2" && !m.output.isEmpty {
          // Streams carry their finish reason only inside the output messages.
          #expect(!c.finishReasons.isEmpty && c.finishReasons == m.output.compactMap(\.finishReason))
        }
      }
      #expect(withInput == chat, "\(dataset): every chat span has a user message")
      #expect(withOutput > chat / 2, "\(dataset)")
      #expect((toolCalls > 0) == expectToolCall, "\(dataset)")
    }
  }
}
