/// How much prompt and completion text a site carries (`--content`).
public enum ContentPolicy: Sendable, Equatable {
  /// Everything, as recorded.
  case full
  /// At most this many characters of each prompt or completion value.
  case truncate(Int)
  /// No prompt or completion text at all.
  case none

  /// Parses `full`, `truncate:N` or `none`.
  public init?(_ text: String) {
    switch text {
    case "full": self = .full
    case "none": self = .none
    default:
      guard text.hasPrefix("truncate:"), let n = Int(text.dropFirst("truncate:".count)), n >= 0 else { return nil }
      self = .truncate(n)
    }
  }

  /// `text` as the policy allows it, with a note of what was withheld.
  func apply(_ text: String) -> (text: String, withheld: String?) {
    switch self {
    case .full: return (text, nil)
    case .none: return ("", "content withheld (\(text.count) characters; built with --content none)")
    case .truncate(let n):
      guard text.count > n else { return (text, nil) }
      return (String(text.prefix(n)), "cut to \(n) of \(text.count) characters (--content truncate:\(n))")
    }
  }
}

/// Attribute keys whose values are prompt, completion, tool or query text, under `--content`.
enum ContentAttributes {
  static let keys: Set<String> = [
    "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.input.messages.otel", "gen_ai.output.messages.otel",
    "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion", "input.value", "output.value",
    "langfuse.observation.input", "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output",
    "traceloop.entity.input", "traceloop.entity.output", "gen_ai.entity.input", "gen_ai.entity.output",
    "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.retrieval.query.text", "gen_ai.retrieval.documents",
    "trpc.go.agent.llm_request", "trpc.go.agent.llm_response", "gen_ai.embeddings.request", "gen_ai.embeddings.response",
    "gen_ai.workflow.request", "gen_ai.workflow.response", "tool.parameters", "content", "message",
    // Queries of retrieval steps often carry the user's question.
    "db.query.text", "db.statement", "retrieval.query", "gen_ai.retrieval.query",
  ]
  static let prefixes = [
    "gen_ai.prompt.", "gen_ai.completion.", "llm.input_messages.", "llm.output_messages.", "llm.prompts.", "llm.choices.",
    "embedding.embeddings.", "retrieval.documents.", "langfuse.observation.metadata.", "traceloop.association.properties.",
  ]

  static func isContent(_ key: String) -> Bool { keys.contains(key) || prefixes.contains { key.hasPrefix($0) } }
}
