/// Where a span's messages can be found, in priority order per direction; the one place that
/// names message keys (see `ConventionTable` for the scalar fields).
public enum MessageSource: Sendable, Equatable {
  /// A JSON (or structured) attribute holding a message list in any common shape: OTel parts,
  /// trpc-agent-go's own, OpenAI's chat format, `{messages:[…]}` or `{choices:[…]}` wrappers.
  case messageList(String)
  /// OpenInference's flattened `prefix{i}.message.{role,content,…}` attributes.
  case openInferenceIndexed(String)
  /// OpenLLMetry's flattened `prefix{i}.{role,content,tool_calls.{j}.…}` attributes.
  case openLLMetryIndexed(String)
  /// OpenInference's legacy `prefix{i}suffix` completion texts (`llm.choices.{i}.completion.text`).
  case indexedText(prefix: String, suffix: String, role: String)
  /// OTel 1.28–1.36 per-message span events (`gen_ai.user.message`, `gen_ai.choice`, …).
  case messageEvents(names: [String])
  /// An attribute of a span event (`gen_ai.content.prompt` → `gen_ai.prompt`), as text or JSON.
  case eventText(event: String, key: String, role: String)
  /// An attribute holding the whole input or output as text or JSON.
  case text(String, role: String)
}

extension ConventionTable {
  /// Instructions prepended to the input as a system message.
  public static let systemInstructionsKey = "gen_ai.system_instructions"

  public static let inputMessageSources: [MessageSource] = [
    .messageList("gen_ai.input.messages.otel"), .messageList("gen_ai.input.messages"),
    .openInferenceIndexed("llm.input_messages."), .openLLMetryIndexed("gen_ai.prompt."),
    .indexedText(prefix: "llm.prompts.", suffix: ".prompt.text", role: "user"),
    .messageEvents(names: ["gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message"]),
    .eventText(event: "gen_ai.content.prompt", key: "gen_ai.prompt", role: "user"), .text("gen_ai.prompt", role: "user"),
    .messageList("trpc.go.agent.llm_request"),
    .text("langfuse.observation.input", role: "user"), .text("input.value", role: "user"),
    .text("traceloop.entity.input", role: "user"), .text("gen_ai.entity.input", role: "user"),
  ]

  public static let outputMessageSources: [MessageSource] = [
    .messageList("gen_ai.output.messages.otel"), .messageList("gen_ai.output.messages"),
    .openInferenceIndexed("llm.output_messages."), .openLLMetryIndexed("gen_ai.completion."),
    .indexedText(prefix: "llm.choices.", suffix: ".completion.text", role: "assistant"),
    .messageEvents(names: ["gen_ai.choice"]),
    .eventText(event: "gen_ai.content.completion", key: "gen_ai.completion", role: "assistant"),
    .text("gen_ai.completion", role: "assistant"), .messageList("trpc.go.agent.llm_response"),
    .text("langfuse.observation.output", role: "assistant"), .text("output.value", role: "assistant"),
    .text("traceloop.entity.output", role: "assistant"), .text("gen_ai.entity.output", role: "assistant"),
  ]
}
