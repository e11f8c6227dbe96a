/// One message of a model call's input or output, unified across instrumentation families.
public struct ChatMessage: Sendable, Equatable {
  /// `system`, `user`, `assistant`, `tool`, or whatever role the instrumentation recorded.
  public var role: String
  public var name: String?
  public var parts: [MessagePart]
  /// For output messages: why the model stopped (`tool_calls` is read as `tool_call`).
  public var finishReason: String?

  public init(role: String, name: String? = nil, parts: [MessagePart], finishReason: String? = nil) {
    self.role = role
    self.name = name
    self.parts = parts
    self.finishReason = finishReason
  }
}

/// A piece of a message, following the OTel GenAI message parts.
public enum MessagePart: Sendable, Equatable {
  case text(String)
  case reasoning(String)
  /// A request from the model to call a tool; `arguments` as JSON text.
  case toolCall(id: String?, name: String, arguments: String)
  /// A tool's answer; `response` as text (JSON text when structured).
  case toolResult(id: String?, response: String)
  /// Media or a reference to it: `blob` (with modality and MIME type), `file`, `uri`.
  case media(type: String, detail: String)
  /// Any other part, kept as JSON text.
  case other(type: String, json: String)
}

/// A model call's messages: what went in and what came out.
public struct SpanMessages: Sendable, Equatable {
  public var input: [ChatMessage] = []
  public var output: [ChatMessage] = []
  public init(input: [ChatMessage] = [], output: [ChatMessage] = []) {
    self.input = input
    self.output = output
  }
}
